/**
 * The one error of the AWS event-stream decoder: broken framing (bad CRC, impossible lengths, a
 * stream cut mid-message) or an exception the service sent in-band. Codes are stable; tests use them.
 */
export type EventStreamErrorCode =
  | 'bad_prelude_crc'
  | 'bad_message_crc'
  | 'bad_length'
  | 'bad_header'
  | 'truncated'
  | 'bad_chunk'
  | 'exception'

export class EventStreamError extends Error {
  readonly code: EventStreamErrorCode
  /** For `exception`: the `:exception-type` (`throttlingException`…) or `:error-code` header. */
  readonly exceptionType: string | undefined

  constructor(code: EventStreamErrorCode, message: string, exceptionType?: string) {
    super(message)
    this.name = 'EventStreamError'
    this.code = code
    this.exceptionType = exceptionType
  }
}
