/** Where Switchyard keeps its database by default: the OS's per-user application-data folder. */
import { homedir } from 'node:os'
import { join } from 'node:path'

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.SWITCHYARD_DATA_DIR) return env.SWITCHYARD_DATA_DIR
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Switchyard')
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Switchyard')
  return join(env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), 'switchyard')
}
