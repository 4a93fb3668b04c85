/**
 * The one logger. Lines go to stderr as `time level message {fields}`. Values registered with
 * `redact()` (every secret the vault hands out) are replaced before anything is written, so a
 * secret that slips into a message or an error still never reaches a log.
 */
type Level = 'debug' | 'info' | 'warn' | 'error'
const order: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 }

const secrets = new Set<string>()
let threshold: number = order[(process.env.SWITCHYARD_LOG_LEVEL as Level | undefined) ?? 'info'] ?? 20
let sink: (line: string) => void = (line) => process.stderr.write(line + '\n')

/** Registers a secret value to be scrubbed from every log line. Short values are ignored (too noisy). */
export function redact(value: string): void {
  if (value.length >= 8) secrets.add(value)
}

export function scrub(text: string): string {
  let out = text
  for (const s of secrets) if (out.includes(s)) out = out.split(s).join('[redacted]')
  return out
}

export function setLogSink(fn: (line: string) => void): void {
  sink = fn
}

export function setLogLevel(level: Level): void {
  threshold = order[level]
}

function write(level: Level, message: string, fields?: Record<string, unknown>): void {
  if (order[level] < threshold) return
  const extra = fields ? ' ' + JSON.stringify(fields, errorReplacer) : ''
  sink(scrub(`${new Date().toISOString()} ${level} ${message}${extra}`))
}

function errorReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message }
  return value
}

export const log = {
  debug: (m: string, f?: Record<string, unknown>) => write('debug', m, f),
  info: (m: string, f?: Record<string, unknown>) => write('info', m, f),
  warn: (m: string, f?: Record<string, unknown>) => write('warn', m, f),
  error: (m: string, f?: Record<string, unknown>) => write('error', m, f),
}
