/**
 * electron-builder afterPack hook: sets Electron's fuses on the packaged binary before it is signed.
 * No running as plain Node, no NODE_OPTIONS or --inspect, the app only from an integrity-checked
 * app.asar, cookies encrypted, no extra file:// privileges. Plain JS: electron-builder loads hooks itself.
 */
import { flipFuses, FuseV1Options, FuseVersion } from '@electron/fuses'
import { join } from 'node:path'

export const fuses = {
  version: FuseVersion.V1,
  [FuseV1Options.RunAsNode]: false,
  [FuseV1Options.EnableCookieEncryption]: true,
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
}

/** The file that holds the fuse wire, per platform. */
export function electronBinary(context) {
  const { appOutDir, electronPlatformName, packager } = context
  const name = packager.appInfo.productFilename
  if (electronPlatformName === 'darwin' || electronPlatformName === 'mas') return join(appOutDir, `${name}.app`)
  if (electronPlatformName === 'win32') return join(appOutDir, `${name}.exe`)
  return join(appOutDir, packager.executableName)
}

export default async function afterPack(context) {
  const darwin = context.electronPlatformName === 'darwin' || context.electronPlatformName === 'mas'
  // arm64 macOS binaries carry an ad-hoc signature that flipping invalidates; re-sign ad hoc (real signing follows).
  await flipFuses(electronBinary(context), { ...fuses, resetAdHocDarwinSignature: darwin && context.arch === 3 })
}
