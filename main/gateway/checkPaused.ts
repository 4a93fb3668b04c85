/** Pipeline stage: a paused gateway refuses the call (503, Retry-After) before it touches a provider or a limit. */
import { GatewayError } from './GatewayError.ts'

export function checkPaused(paused: (() => boolean) | undefined): void {
  if (!paused?.()) return
  throw new GatewayError('gateway_paused', 'Switchyard is paused: resume it from the tray or the app to send requests again.', {
    headers: { 'retry-after': '30' },
  })
}
