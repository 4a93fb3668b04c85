/** Launch at login on Linux: the XDG autostart entry is written and removed in a throwaway HOME. */
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { autostartEntry, quoteExecArg, xdgAutostart } from '../../main/desktop/loginItem.ts'

test('the entry is written under $HOME/.config/autostart, read back, and removed', () => {
  const home = mkdtempSync(join(tmpdir(), 'switchyard-home-'))
  try {
    const item = xdgAutostart({ exec: ['/opt/Switchyard/switchyard', '--hidden'], env: { HOME: home } })
    assert.equal(item.file, join(home, '.config', 'autostart', 'switchyard.desktop'))
    assert.deepEqual(item.get(), { supported: true, enabled: false, mechanism: 'xdg-autostart' })
    assert.deepEqual(item.set(true), { supported: true, enabled: true, mechanism: 'xdg-autostart' })
    const text = readFileSync(item.file, 'utf8')
    assert.match(text, /^\[Desktop Entry\]$/m)
    assert.match(text, /^Type=Application$/m)
    assert.match(text, /^Exec=\/opt\/Switchyard\/switchyard --hidden$/m)
    assert.equal(statSync(item.file).mode & 0o777, 0o644)
    // Switched off from the desktop's own startup settings: reported as off.
    writeFileSync(item.file, `${text}Hidden=true\n`)
    assert.equal(item.get().enabled, false)
    assert.deepEqual(item.set(false), { supported: true, enabled: false, mechanism: 'xdg-autostart' })
    assert.equal(existsSync(item.file), false)
    assert.doesNotThrow(() => item.set(false), 'removing twice is fine')
  } finally {
    rmSync(home, { recursive: true, force: true })
  }
})

test('XDG_CONFIG_HOME wins over HOME', () => {
  const root = mkdtempSync(join(tmpdir(), 'switchyard-xdg-'))
  try {
    const item = xdgAutostart({ exec: ['/x'], env: { HOME: join(root, 'home'), XDG_CONFIG_HOME: join(root, 'cfg') } })
    item.set(true)
    assert.ok(existsSync(join(root, 'cfg', 'autostart', 'switchyard.desktop')))
    assert.equal(existsSync(join(root, 'home')), false)
  } finally {
    rmSync(root, { recursive: true, force: true })
  }
})

test('Exec arguments are quoted per the Desktop Entry spec, table', () => {
  const rows: Array<[string, string]> = [
    ['/usr/bin/switchyard', '/usr/bin/switchyard'],
    ['/home/me/Apps/Switch Yard.AppImage', '"/home/me/Apps/Switch Yard.AppImage"'],
    ['/a/$HOME/b', '"/a/\\$HOME/b"'],
    ['say "hi"', '"say \\"hi\\""'],
    ['50%', '50%%'],
    ['', '""'],
  ]
  for (const [arg, want] of rows) assert.equal(quoteExecArg(arg), want, arg)
  assert.match(autostartEntry(['/a b/c', '--hidden']), /^Exec="\/a b\/c" --hidden$/m)
})
