/**
 * A stand-in `Gateway` for renderer store tests (Actual's `initServer` idea): handlers per command,
 * every call recorded, unhandled commands fail loudly. Throw `ControlError` from a handler to test
 * error paths. No DOM, no sockets.
 */
import type { CommandInput, CommandName, CommandOutput } from '../../preload/contract.ts'
import { ControlError, type Gateway } from '../../renderer/lib/gateway.ts'

export type CommandHandlers = {
  [N in CommandName]: (input: CommandInput<N>) => CommandOutput<N> | Promise<CommandOutput<N>>
}

export type FakeCall = { name: CommandName; input: unknown }

export type FakeGateway = Gateway & { calls: FakeCall[]; callsTo(name: CommandName): unknown[] }

export function fakeGateway(handlers: Partial<CommandHandlers>): FakeGateway {
  const calls: FakeCall[] = []
  const invoke = async <N extends CommandName>(
    name: N,
    input: CommandInput<N>,
  ): Promise<CommandOutput<N>> => {
    calls.push({ name, input: structuredClone(input) })
    const handler = handlers[name] as CommandHandlers[N] | undefined
    if (handler === undefined) throw new ControlError('internal_error', `fakeGateway: no handler for ${name}`)
    return await handler(input)
  }
  return {
    invoke,
    calls,
    callsTo: (name) => calls.filter((c) => c.name === name).map((c) => c.input),
  }
}

/** A promise plus its resolver, to hold a fake answer until the test lets it go. */
export function deferred<T>(): { promise: Promise<T>; resolve(value: T): void } {
  let resolve!: (value: T) => void
  const promise = new Promise<T>((r) => {
    resolve = r
  })
  return { promise, resolve }
}
