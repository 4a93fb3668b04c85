/** Launch at login: Electron's login-item API on macOS and Windows, the XDG autostart entry on Linux. */
import { app } from 'electron'
import { xdgAutostart, type LoginItem } from '../desktop/loginItem.ts'

export function electronLoginItem(): LoginItem {
  if (process.platform === 'linux') {
    // An AppImage runs from a new mount point each time: autostart must name the AppImage file itself.
    return xdgAutostart({ exec: [process.env.APPIMAGE ?? process.execPath, '--hidden'] })
  }
  const state = () => ({ supported: true, enabled: app.getLoginItemSettings({ args: ['--hidden'] }).openAtLogin, mechanism: 'login-item' as const })
  return {
    get: state,
    set(enabled) {
      app.setLoginItemSettings({ openAtLogin: enabled, args: ['--hidden'] })
      return state()
    },
  }
}
