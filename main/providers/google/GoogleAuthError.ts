/**
 * Why no Google access token could be had: no credentials file, a file of an unsupported kind, or
 * a token endpoint that refused or could not be reached. Messages never contain a key or a token.
 * Codes are stable; tests use them.
 */
export type GoogleAuthErrorCode =
  | 'no_credentials'
  | 'unreadable_file'
  | 'bad_credentials_file'
  | 'unsupported_credentials'
  | 'token_rejected'
  | 'token_endpoint_unreachable'
  | 'bad_token_response'

export class GoogleAuthError extends Error {
  readonly code: GoogleAuthErrorCode
  /** The token endpoint's HTTP status, when it answered. */
  readonly status: number | undefined

  constructor(code: GoogleAuthErrorCode, message: string, options: { status?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'GoogleAuthError'
    this.code = code
    this.status = options.status
  }
}
