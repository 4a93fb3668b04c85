/** The Control API's one error type. Codes are the contract's `ControlErrorCode`; messages never carry secrets. */
import type { ControlErrorCode } from '../../preload/contract.ts'

const statusOf: Record<ControlErrorCode, number> = {
  invalid_input: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  upstream_error: 502,
  internal_error: 500,
}

export class ControlError extends Error {
  readonly code: ControlErrorCode
  readonly path: string | undefined

  constructor(code: ControlErrorCode, message: string, path?: string) {
    super(message)
    this.name = 'ControlError'
    this.code = code
    this.path = path
  }

  get status(): number {
    return statusOf[this.code]
  }
}
