/**
 * After attempt `i` answered with `status` (retries spent), the index of the attempt to try next, or
 * -1 to return this response. Mirrors Portkey's nested fallback loops: the innermost fallback group
 * whose statuses match (its `on_status_codes`, else any non-2xx) moves on to its next target; a group
 * that does not match hands the same response to the group around it. Gateway exceptions (the
 * request could not be made at all) stop the fallback in Portkey: the caller checks those first.
 */
import type { Attempt } from './ConfigPlan.ts'

export function nextAttemptIndex(attempts: readonly Attempt[], i: number, status: number): number {
  const attempt = attempts[i]
  if (!attempt) return -1
  for (const step of attempt.fallbacks) {
    if (step.on === null ? status < 200 || status > 299 : step.on.includes(status)) return step.next
  }
  return -1
}
