/**
 * Stage 1b (after parse): the project and branch of a coding agent's call go into its metadata, so
 * usage can be summed per repository and branch with no set-up. The client's own `x-portkey-metadata`
 * wins (a key it set is never replaced); the setting `attribution:set {enabled:false}` turns it off.
 */
import { readAttribution } from '../attribution/readAttribution.ts'
import type { Call } from './types.ts'

export function attributeCall(call: Call, enabled: boolean): Call {
  if (!enabled || (call.endpoint !== 'messages' && call.endpoint !== 'responses')) return call
  const found = readAttribution(call.endpoint, call.body)
  if (!found.project && !found.branch) return call
  return { ...call, metadata: { ...found, ...call.metadata } }
}
