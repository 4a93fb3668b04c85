/**
 * A secret value that redacts itself wherever it could leak by accident: string conversion,
 * JSON, `util.inspect` / `console.log`. Owns no I/O; reading the value takes `reveal()`.
 */

const REDACTED = '[redacted]'

export class Secret {
  // A #private field: invisible to util.inspect, Object.keys, JSON and structuredClone.
  readonly #value: string

  constructor(value: string) {
    this.#value = value
  }

  /** The only way to read the value, so every use is greppable. */
  reveal(): string {
    return this.#value
  }

  /** Last four characters for UIs ("…wxyz"); '' under 8 characters, where 4 would give away half. */
  hint(): string {
    const chars = Array.from(this.#value)
    return chars.length < 8 ? '' : chars.slice(-4).join('')
  }

  toString(): string {
    return REDACTED
  }

  toJSON(): string {
    return REDACTED
  }

  [Symbol.toPrimitive](): string {
    return REDACTED
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return REDACTED
  }
}
