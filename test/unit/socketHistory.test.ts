/** A Responses WebSocket's memory for `previous_response_id`: expansion, echoes, bounds, unknown ids. Table-driven. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { GatewayError } from '../../main/gateway/GatewayError.ts'
import { createSocketHistory, type SocketHistory } from '../../main/gateway/socketHistory.ts'

const user = (text: string) => ({ type: 'message', role: 'user', content: [{ type: 'input_text', text }] })
const call = { type: 'function_call', id: 'fc_1', call_id: 'call_1', name: 'exec_command', arguments: '{}' }
const callOutput = { type: 'function_call_output', call_id: 'call_1', output: 'ok' }
const answer = { type: 'message', id: 'msg_a', role: 'assistant', content: [{ type: 'output_text', text: 'hi' }] }

type Case = [name: string, setup: (h: SocketHistory) => void, body: Record<string, unknown>, input: unknown[] | Error]

const cases: Case[] = [
  ['no previous_response_id: the body as sent', () => {}, { model: 'm', input: [user('q')] }, [user('q')]],
  ['a string input is one user message', (h) => h.remember('r1', [user('q')], [answer]), { previous_response_id: 'r1', input: 'next' }, [user('q'), answer, user('next')]],
  ['only the tool output after a call: the call comes from memory', (h) => h.remember('r1', [user('q')], [call]), { previous_response_id: 'r1', input: [callOutput] }, [user('q'), call, callOutput]],
  ['the previous output echoed back is not doubled', (h) => h.remember('r1', [user('q')], [call]), { previous_response_id: 'r1', input: [call, callOutput] }, [user('q'), call, callOutput]],
  ['a warm-up (no output) continues with the new items', (h) => h.remember('w', [user('ctx')], []), { previous_response_id: 'w', input: [user('go')] }, [user('ctx'), user('go')]],
  ['an unknown id is refused', () => {}, { previous_response_id: 'nope', input: [] }, new Error('nope')],
  ['a non-string id is refused', () => {}, { previous_response_id: 7, input: [] }, new Error('must be a string')],
  [
    'the oldest response is forgotten past the count',
    (h) => ['r1', 'r2', 'r3'].forEach((id) => h.remember(id, [user(id)], [])),
    { previous_response_id: 'r1', input: [] },
    new Error('r1'),
  ],
  ['the newest responses are kept', (h) => ['r1', 'r2', 'r3'].forEach((id) => h.remember(id, [user(id)], [])), { previous_response_id: 'r3', input: [] }, [user('r3')]],
  ['a response larger than the byte bound is not kept', (h) => h.remember('big', [user('x'.repeat(5000))], []), { previous_response_id: 'big', input: [] }, new Error('big')],
  ['cleared on close', (h) => (h.remember('r1', [user('q')], []), h.clear()), { previous_response_id: 'r1', input: [] }, new Error('r1')],
]

for (const [name, setup, body, want] of cases) {
  test(name, () => {
    const h = createSocketHistory({ maxResponses: 2, maxBytes: 4096 })
    setup(h)
    if (want instanceof Error) {
      assert.throws(
        () => h.expand(body),
        (e: unknown) => e instanceof GatewayError && e.status === 400 && e.message.includes(want.message),
      )
      return
    }
    const out = h.expand(body)
    assert.deepEqual(out.input, body.previous_response_id === undefined ? body.input : want)
    assert.equal('previous_response_id' in out, false)
  })
}

test('the byte bound evicts the oldest until the rest fit', () => {
  const h = createSocketHistory({ maxResponses: 10, maxBytes: 3000 })
  for (const id of ['a', 'b', 'c']) h.remember(id, [user(id.repeat(1200))], [])
  assert.equal(h.size, 2)
  assert.throws(() => h.expand({ previous_response_id: 'a' }))
  assert.doesNotThrow(() => h.expand({ previous_response_id: 'c' }))
})
