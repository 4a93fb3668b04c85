/**
 * The renderer's one door to the Control API. It picks a transport per call: the preload bridge
 * (`window.switchyard.invoke`, desktop app) when present, else HTTP `POST /admin/api/<name>` with the
 * admin token (headless `serve`). Either way a failed `Result` becomes a thrown `ControlError`.
 * Stores receive a `Gateway` rather than importing `invoke`, so tests can hand them a fake.
 * Must not: import from `main/` or `node:*`; it imports only types from the contract.
 */
import type {
  CommandInput,
  CommandName,
  CommandOutput,
  ControlErrorCode,
  Events,
  Result,
} from '../../preload/contract.ts'

/** Codes from the contract, plus `unreachable` when no answer arrived at all (server down, offline). */
export type ControlErrorCodeOrTransport = ControlErrorCode | 'unreachable'

/** The plain-data shape of an error, as stores keep it in state. */
export type ControlErrorInfo = {
  code: ControlErrorCodeOrTransport
  message: string
  path?: string
}

/** A failed Control API call. Tests and views branch on `code`, never on `message`. */
export class ControlError extends Error {
  readonly code: ControlErrorCodeOrTransport
  readonly path: string | undefined

  constructor(code: ControlErrorCodeOrTransport, message: string, path?: string) {
    super(message)
    this.name = 'ControlError'
    this.code = code
    this.path = path
  }

  /** Plain data for state: stores keep this, never the Error object. */
  toInfo(): ControlErrorInfo {
    return this.path === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, path: this.path }
  }
}

/** Turns anything a call threw into displayable error data. */
export function toErrorInfo(err: unknown): ControlErrorInfo {
  if (err instanceof ControlError) return err.toInfo()
  if (err instanceof Error) return { code: 'internal_error', message: err.message }
  return { code: 'internal_error', message: String(err) }
}

export type Invoke = <N extends CommandName>(
  name: N,
  input: CommandInput<N>,
) => Promise<CommandOutput<N>>

/** Calls `fn` with each event of that kind; returns the unsubscribe function. */
export type Subscribe = <E extends keyof Events>(event: E, fn: (payload: Events[E]) => void) => () => void

/** `subscribe` exists where the transport pushes events (the desktop bridge); HTTP has none. */
export type Gateway = { invoke: Invoke; subscribe?: Subscribe }

/** What the desktop preload exposes (`contextBridge.exposeInMainWorld('switchyard', …)`, preload/createBridge.ts). */
export type SwitchyardBridge = {
  invoke(name: CommandName, input: unknown): Promise<Result<unknown>>
  on<E extends keyof Events>(event: E, fn: (payload: Events[E]) => void): () => void
}

declare global {
  // Window is an interface in lib.dom; augmenting it needs one here.
  interface Window {
    switchyard?: SwitchyardBridge
  }
}

type FetchLike = (url: string, init: RequestInit) => Promise<Response>

export type HttpGatewayOptions = {
  /** Origin of the headless server; '' means the page's own origin. */
  baseUrl: string
  /** Read on every call, so a token captured after start-up is used. */
  token: () => string | null
  fetch?: FetchLike
}

/** The headless transport: `POST {baseUrl}/admin/api/<name>` with `Authorization: Bearer <token>`. */
export function httpGateway(options: HttpGatewayOptions): Gateway {
  const doFetch: FetchLike = options.fetch ?? ((url, init) => fetch(url, init))
  const invoke = async <N extends CommandName>(
    name: N,
    input: CommandInput<N>,
  ): Promise<CommandOutput<N>> => {
    const headers: Record<string, string> = { 'content-type': 'application/json' }
    const token = options.token()
    if (token !== null) headers.authorization = `Bearer ${token}`
    let response: Response
    try {
      response = await doFetch(`${options.baseUrl}/admin/api/${name}`, {
        method: 'POST',
        headers,
        body: JSON.stringify(input ?? {}),
      })
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err)
      throw new ControlError('unreachable', `Cannot reach the Switchyard server (${reason}).`)
    }
    let body: unknown
    try {
      body = await response.json()
    } catch {
      throw new ControlError(
        response.status === 401 ? 'unauthorized' : 'internal_error',
        `The server answered ${response.status} ${response.statusText} without a Control API result.`,
      )
    }
    return unwrap(body, response.status) as CommandOutput<N>
  }
  return { invoke }
}

/** The desktop transport: the preload bridge already speaks `Result`. */
export function bridgeGateway(bridge: SwitchyardBridge): Gateway {
  const invoke = async <N extends CommandName>(
    name: N,
    input: CommandInput<N>,
  ): Promise<CommandOutput<N>> => {
    let body: unknown
    try {
      body = await bridge.invoke(name, input ?? {})
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err)
      throw new ControlError('unreachable', `The desktop bridge failed (${reason}).`)
    }
    return unwrap(body, 0) as CommandOutput<N>
  }
  return { invoke, subscribe: (event, fn) => bridge.on(event, fn) }
}

function unwrap(body: unknown, status: number): unknown {
  if (isResult(body)) {
    if (body.ok) return body.value
    throw new ControlError(body.error.code, body.error.message, body.error.path)
  }
  throw new ControlError(
    'internal_error',
    `Unexpected answer from the server${status ? ` (HTTP ${status})` : ''}: not a Control API result.`,
  )
}

function isResult(body: unknown): body is Result<unknown> {
  if (typeof body !== 'object' || body === null || !('ok' in body)) return false
  if (body.ok === true) return 'value' in body
  if (body.ok !== false || !('error' in body)) return false
  const error = body.error
  return (
    typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    typeof error.code === 'string' &&
    'message' in error &&
    typeof error.message === 'string'
  )
}

/**
 * The app's gateway: the bridge when the preload put one on `window`, otherwise HTTP to the page's
 * origin with the admin token from `readToken`. Chosen per call, so the order of scripts does not matter.
 */
export function defaultGateway(readToken: () => string | null): Gateway {
  const http = httpGateway({ baseUrl: '', token: readToken })
  const invoke = <N extends CommandName>(name: N, input: CommandInput<N>) => {
    const bridge = typeof window === 'undefined' ? undefined : window.switchyard
    return bridge ? bridgeGateway(bridge).invoke(name, input) : http.invoke(name, input)
  }
  const subscribe: Subscribe = (event, fn) => {
    const bridge = typeof window === 'undefined' ? undefined : window.switchyard
    return bridge ? bridge.on(event, fn) : () => {}
  }
  return { invoke, subscribe }
}
