/**
 * What the desktop app says when the core cannot start, and which choices it offers: the same ones
 * the CLI has (a key file when there is no keychain, another port when ours is taken). Pure: the
 * shell shows `dialog` with Electron's message box and applies the chosen `retry` options.
 */
import { describeVaultReset } from '../resetVault.ts'
import { isVaultError } from '../vault/VaultError.ts'

export type StartupProblem = 'no-keychain' | 'port-taken' | 'data-dir-locked' | 'vault-key' | 'other'

export type StartupChoice =
  | { label: string; kind: 'retry'; with: { insecureKeyFile?: true; port?: number; resetVault?: true } }
  | { label: string; kind: 'quit' }

export type StartupDialog = {
  problem: StartupProblem
  title: string
  message: string
  detail: string
  choices: StartupChoice[]
  /** Index of the choice Enter picks; Escape always quits (the last choice). */
  defaultIndex: number
}

export function classifyStartupError(err: unknown): StartupProblem {
  if (isVaultError(err, 'keychain_unavailable')) return 'no-keychain'
  if (isVaultError(err)) return 'vault-key'
  const message = err instanceof Error ? err.message : String(err)
  const code = (err as { code?: unknown } | null)?.code
  if (code === 'EADDRINUSE' || /already in use/.test(message)) return 'port-taken'
  if (/already running on this data directory|SQLITE_BUSY|database is locked/.test(message)) return 'data-dir-locked'
  return 'other'
}

const quit: StartupChoice = { label: 'Quit', kind: 'quit' }

export function startupDialog(err: unknown, ctx: { port: number; dataDir: string; keyFilePath: string }): StartupDialog {
  const problem = classifyStartupError(err)
  const detail = err instanceof Error ? err.message : String(err)
  switch (problem) {
    case 'no-keychain':
      return {
        problem,
        title: 'No keychain for the vault key',
        message: 'Switchyard keeps the key that encrypts your provider API keys in the system keychain, and none is available.',
        detail: `${detail}\n\nYou can keep the key in ${ctx.keyFilePath} (readable only by you) instead. Anyone who can read that file, or a backup of it, can decrypt your provider API keys.`,
        choices: [{ label: 'Use a key file', kind: 'retry', with: { insecureKeyFile: true } }, quit],
        defaultIndex: 1,
      }
    case 'port-taken':
      return {
        problem,
        title: `Port ${ctx.port} is taken`,
        message: `Another program is listening on port ${ctx.port}, where Switchyard's gateway usually runs.`,
        detail: `${detail}\n\nSwitchyard can start on a free port for this session; clients configured with port ${ctx.port} will need the new base URL (shown in the tray).`,
        choices: [{ label: 'Use another port', kind: 'retry', with: { port: 0 } }, quit],
        defaultIndex: 0,
      }
    case 'data-dir-locked':
      return {
        problem,
        title: 'Switchyard is already running',
        message: `Another Switchyard (perhaps \`switchyard serve\` in a terminal) is using ${ctx.dataDir}.`,
        detail: `${detail}\n\nStop the other one, then try again.`,
        choices: [{ label: 'Try again', kind: 'retry', with: {} }, quit],
        defaultIndex: 0,
      }
    case 'vault-key': {
      const base = { problem, title: "The vault can't be opened", message: 'Switchyard cannot decrypt the provider keys in this data directory.' }
      // Only a lost or replaced key can be got past, by giving up the secrets; a changed backend is undone instead.
      const impact = isVaultError(err) ? err.resetImpact : undefined
      if (!impact) return { ...base, detail, choices: [quit], defaultIndex: 0 }
      return {
        ...base,
        detail: `${detail}\n\n${describeVaultReset(impact, 'ahead')}`,
        choices: [{ label: 'Delete the keys and start a new vault', kind: 'retry', with: { resetVault: true } }, quit],
        defaultIndex: 1,
      }
    }
    case 'other':
      return { problem, title: "Switchyard couldn't start", message: 'Something went wrong while starting the gateway.', detail, choices: [{ label: 'Try again', kind: 'retry', with: {} }, quit], defaultIndex: 1 }
  }
}
