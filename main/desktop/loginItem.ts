/**
 * Launch at login. The contract the Control API uses, and its Linux implementation: an XDG autostart
 * entry (`$XDG_CONFIG_HOME/autostart/switchyard.desktop`), written and removed here in plain Node.
 * macOS and Windows use Electron's login-item API, adapted in main/electron/ to the same contract.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import type { LoginItemState } from '../../preload/contract.ts'

export type LoginItem = {
  get(): LoginItemState
  set(enabled: boolean): LoginItemState
}

export const unsupportedLoginItem: LoginItem = {
  get: () => ({ supported: false, enabled: false, mechanism: 'none' }),
  set: () => ({ supported: false, enabled: false, mechanism: 'none' }),
}

/** Quotes one Exec argument as the Desktop Entry spec asks (double quotes; `"`, `` ` ``, `$`, `\` escaped). */
export function quoteExecArg(arg: string): string {
  if (!/[\s"'\\`$<>~|&;*?#()]/.test(arg) && arg !== '') return arg.replaceAll('%', '%%')
  return `"${arg.replace(/["`$\\]/g, (c) => `\\${c}`).replaceAll('%', '%%')}"`
}

export function autostartEntry(exec: string[], name = 'Switchyard'): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    `Name=${name}`,
    'Comment=Local AI gateway (starts in the tray)',
    `Exec=${exec.map(quoteExecArg).join(' ')}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n')
}

/**
 * `exec`: the command that starts the app hidden in the tray (for an AppImage, `$APPIMAGE`, not the
 * mounted binary, whose path changes every run). `env`: where `XDG_CONFIG_HOME` and `HOME` come from.
 */
export function xdgAutostart(opts: { exec: string[]; env?: Record<string, string | undefined>; fileName?: string }): LoginItem & { readonly file: string } {
  const env = opts.env ?? process.env
  const configHome = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config')
  const dir = join(configHome, 'autostart')
  const file = join(dir, opts.fileName ?? 'switchyard.desktop')
  const state = (): LoginItemState => ({ supported: true, enabled: isEnabled(), mechanism: 'xdg-autostart' })
  function isEnabled(): boolean {
    if (!existsSync(file)) return false
    // A user may have switched it off from their desktop's startup settings without deleting it.
    const text = readFileSync(file, 'utf8')
    return !/^Hidden\s*=\s*true\s*$/m.test(text) && !/^X-GNOME-Autostart-enabled\s*=\s*false\s*$/m.test(text)
  }
  return {
    file,
    get: state,
    set(enabled) {
      if (enabled) {
        mkdirSync(dir, { recursive: true })
        writeFileSync(file, autostartEntry(opts.exec), { mode: 0o644 })
      } else {
        rmSync(file, { force: true })
      }
      return state()
    },
  }
}
