/**
 * The one logger. Lines go to stderr as `time level message {fields}`. Every line passes the one
 * scrubber (`scrubber.ts`), so a secret that slips into a message or an error never reaches a log.
 */
import { redact, scrub } from './scrubber.ts'

export { redact, scrub }
type Level = 'debug' | 'info' | 'warn' | 'error'
const order: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 }

let threshold: number = order[(process.env.SWITCHYARD_LOG_LEVEL as Level | undefined) ?? 'info'] ?? 20
let sink: (line: string) => void = (line) => process.stderr.write(line + '\n')

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
