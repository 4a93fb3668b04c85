/**
 * The one try/catch of a store action: marks the store busy, runs the call, keeps the error as
 * plain data in `error` (or the field named by `errorKey`), and returns the value or null.
 */
import { toErrorInfo, type ControlErrorInfo } from './gateway.ts'

type Setter = (patch: Record<string, unknown>) => void

export async function attempt<T>(set: Setter, fn: () => Promise<T>, errorKey = 'error', busyKey = 'busy'): Promise<T | null> {
  set({ [busyKey]: true, [errorKey]: null })
  try {
    const value = await fn()
    set({ [busyKey]: false })
    return value
  } catch (err) {
    set({ [busyKey]: false, [errorKey]: toErrorInfo(err) satisfies ControlErrorInfo })
    return null
  }
}
