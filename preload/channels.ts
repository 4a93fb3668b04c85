/**
 * The IPC channel allow-list between the window and main, and the events the window may subscribe
 * to. Shared by the preload (which uses nothing else) and main's IPC transport (which answers nothing else).
 */
import type { Events } from './contract.ts'

export const ipcChannels = {
  /** invoke(name, input) → Result: one Control API command. */
  invoke: 'switchyard:invoke',
  /** invoke(eventName) → Result<{ subscribed }>: start receiving one kind of event. */
  subscribe: 'switchyard:subscribe',
  /** main → window: (eventName, payload). */
  event: 'switchyard:event',
} as const

export const eventNames = ['usage:recorded', 'catalog:changed', 'budget:thresholdCrossed', 'target:circuitChanged', 'gateway:stateChanged'] as const satisfies ReadonlyArray<keyof Events>

/** Compile-time check: every event in the contract is in the list (add new ones above). */
export type _AllEventsListed = Exclude<keyof Events, (typeof eventNames)[number]> extends never ? true : never
const _allEventsListed: _AllEventsListed = true
void _allEventsListed

export function isEventName(name: unknown): name is keyof Events {
  return typeof name === 'string' && (eventNames as readonly string[]).includes(name)
}
