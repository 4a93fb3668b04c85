/**
 * A crash loses no answered call: a real gateway process under load is killed with SIGKILL several
 * times on the same data directory; afterwards the database holds a 200 row for at least every call
 * whose answer the client received in full.
 */
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { test } from 'node:test'
import { openStore } from '../../main/store/Store.ts'
import type { UsageWrites } from '../../main/store/UsageWriter.ts'

const gatewayChild = fileURLToPath(new URL('../../bench/gateway.ts', import.meta.url))
const KEY = 'sy-crash-test-0123456789abcdefghijklmnop'
const answer = JSON.stringify({ id: 'x', object: 'chat.completion', created: 1, model: 'gpt-4o', choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }], usage: { prompt_tokens: 5, completion_tokens: 1, total_tokens: 6 } })

/** Runs `rounds` × (start, load, SIGKILL) and returns the answered calls and the 200 rows stored. */
async function crashRounds(rounds: number, usageWrites: UsageWrites): Promise<{ answered: number; rows: number }> {
  const upstream = createServer((req, res) => {
    req.resume()
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(answer) }).end(answer))
  })
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r))
  const addr = upstream.address()
  const upstreamUrl = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`
  const dataDir = mkdtempSync(join(tmpdir(), 'switchyard-crash-'))
  let answered = 0
  try {
    for (let round = 0; round < rounds; round++) {
      const child = spawn(process.execPath, [gatewayChild, JSON.stringify({ dataDir, upstreamUrl, key: KEY, usageWrites })], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] })
      const exited = new Promise<void>((r) => child.once('exit', () => r()))
      const url = await new Promise<string>((resolve, reject) => {
        child.on('message', (m: { type?: string; url?: string }) => m.type === 'ready' && resolve(m.url as string))
        child.once('exit', (code) => reject(new Error(`gateway exited early (${code})`)))
      })
      let stop = false
      const worker = async () => {
        while (!stop) {
          try {
            const res = await fetch(`${url}/v1/chat/completions`, {
              method: 'POST',
              headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
              body: JSON.stringify({ model: '@up/gpt-4o', messages: [{ role: 'user', content: 'hi' }] }),
            })
            const text = await res.text()
            if (res.status === 200 && text === answer) answered++
          } catch {
            // the process was killed mid-call: not answered
          }
        }
      }
      const workers = Array.from({ length: 12 }, worker)
      await new Promise((r) => setTimeout(r, 400 + round * 150))
      child.kill('SIGKILL')
      await exited
      stop = true
      await Promise.all(workers)
      // Between the kill and the next start, the process is gone: the rows so far are on disk or lost.
    }
    const store = openStore(join(dataDir, 'switchyard.db')) // a start: the journal is recovered here
    const rows = (store.db.prepare('SELECT count(*) AS n FROM usage WHERE status = 200').get() as { n: number }).n
    store.close()
    return { answered, rows }
  } finally {
    upstream.close()
    rmSync(dataDir, { recursive: true, force: true })
  }
}

test('kill -9 under load, five times: every call answered 200 has its usage row', { timeout: 120_000 }, async () => {
  const { answered, rows } = await crashRounds(5, 'file')
  assert.ok(answered >= 20, `the load reached the gateway (${answered} answered)`)
  assert.ok(rows >= answered, `${answered - rows} answered calls lost their usage row (${rows} rows for ${answered} answers)`)
})
