/** Whatever a stage threw, as the GatewayError the caller gets. */
import { GatewayError } from './GatewayError.ts'

/** A stack overflow here comes from a body nested too deeply to walk (100,000 levels): the caller's fault, 400. */
export function asRequestError(err: unknown): GatewayError {
  const cause = err instanceof GatewayError && err.code === 'internal_error' ? err.cause : err
  if (cause instanceof RangeError && /call stack/i.test(cause.message)) return new GatewayError('invalid_request', 'request body is nested too deeply')
  if (err instanceof GatewayError) return err
  return new GatewayError('internal_error', 'internal error', { cause: err })
}
