/**
 * Writes a coding tool's config file for the gateway, with a backup, and puts it back. The first
 * original is kept (`<file>.switchyard-backup`; `<file>.switchyard-none` when there was no file), so
 * applying twice and restoring once returns the user's own file. Files holding a key are 0600.
 */
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import type { ToolFileResult, ToolId, ToolInfo, ToolPreview } from '../../preload/contract.ts'
import { ControlError } from '../control/ControlError.ts'
import { maskSecrets, toolConfigs, toolIds, type ToolTarget } from './toolConfigs.ts'

const backupOf = (path: string) => `${path}.switchyard-backup`
const noneOf = (path: string) => `${path}.switchyard-none`

function fileOf(tool: ToolId, home: string): string {
  const file = toolConfigs[tool].file
  if (!file) throw new ControlError('invalid_input', `${toolConfigs[tool].name} keeps its settings in its own UI: copy them by hand`, 'tool')
  return file(home)
}

function read(path: string): string | null {
  return existsSync(path) ? readFileSync(path, 'utf8') : null
}

function merged(tool: ToolId, before: string | null, t: ToolTarget): string {
  try {
    return (toolConfigs[tool].merge as NonNullable<(typeof toolConfigs)[ToolId]['merge']>)(before, t)
  } catch (err) {
    throw new ControlError('conflict', `${toolConfigs[tool].name}: ${(err as Error).message}`, 'tool')
  }
}

export function listTools(home: string, t: ToolTarget): ToolInfo[] {
  return toolIds.map((id) => {
    const c = toolConfigs[id]
    const path = c.file ? c.file(home) : null
    return {
      id,
      name: c.name,
      path,
      exists: path !== null && existsSync(path),
      hasBackup: path !== null && (existsSync(backupOf(path)) || existsSync(noneOf(path))),
      manual: c.manual(t),
    }
  })
}

export function previewTool(tool: ToolId, home: string, t: ToolTarget): ToolPreview {
  const path = fileOf(tool, home)
  const before = read(path)
  const after = merged(tool, before, t)
  return { tool, path, before: before === null ? null : maskSecrets(before), after: maskSecrets(after) }
}

export function applyTool(tool: ToolId, home: string, t: ToolTarget): ToolFileResult {
  const path = fileOf(tool, home)
  const before = read(path)
  const after = merged(tool, before, t)
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 })
  let backupPath: string | null = null
  if (existsSync(backupOf(path))) backupPath = backupOf(path)
  else if (!existsSync(noneOf(path))) {
    if (before === null) writeFileSync(noneOf(path), '', { mode: 0o600 })
    else {
      copyFileSync(path, backupOf(path))
      backupPath = backupOf(path)
    }
  }
  writeFileSync(path, after, { mode: 0o600 })
  chmodSync(path, 0o600) // an existing file keeps its mode on write
  return { tool, path, backupPath }
}

export function restoreTool(tool: ToolId, home: string): ToolFileResult {
  const path = fileOf(tool, home)
  if (existsSync(backupOf(path))) {
    copyFileSync(backupOf(path), path)
    rmSync(backupOf(path))
    return { tool, path, backupPath: null, restored: true }
  }
  if (existsSync(noneOf(path))) {
    rmSync(path, { force: true })
    rmSync(noneOf(path))
    return { tool, path, backupPath: null, restored: true }
  }
  throw new ControlError('not_found', `no backup of ${path} to restore`, 'tool')
}
