/**
 * Pause for the whole gateway (tray, window or script): while paused every call is answered 503
 * `gateway_paused` in the caller's format (`checkPaused`), and nothing else changes. Memory only: a
 * restart starts serving again, which is what someone who quit and relaunched the app expects.
 */
import type { GatewayState } from '../../preload/contract.ts'

export type PauseSwitch = {
  paused(): boolean
  state(): GatewayState
  /** Returns true when the state changed. */
  set(paused: boolean): boolean
}

export function createPauseSwitch(now: () => number = Date.now): PauseSwitch {
  let pausedAt: number | null = null
  return {
    paused: () => pausedAt !== null,
    state: () => ({ paused: pausedAt !== null, pausedAt }),
    set(paused) {
      if (paused === (pausedAt !== null)) return false
      pausedAt = paused ? now() : null
      return true
    },
  }
}
