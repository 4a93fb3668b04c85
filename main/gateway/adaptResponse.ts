/**
 * Reads an upstream answer through the hooks its provider's transport attached to the request
 * (`PreparedCall.decodeStream`, `errorBody`): Bedrock's binary event-stream becomes the Anthropic SSE the
 * rest of the pipeline reads as if Anthropic had sent it, and an error body not in the dialect's shape is
 * rewritten whole (statuses are kept). Without hooks the response is returned untouched. No I/O of its
 * own; a decoding failure destroys the upstream body and surfaces as `upstream_error`.
 */
import type { BodyDecoder, PreparedCall, ResponseHead } from '../providers/provider.ts'
import type { UpstreamBody, UpstreamResponse } from './callProvider.ts'
import { GatewayError } from './GatewayError.ts'

/** Error bodies are small; anything beyond this is cut (streamBack caps them the same way). */
const MAX_ERROR_BODY = 1024 * 1024

export function adaptResponse(res: UpstreamResponse, prepared: Pick<PreparedCall, 'decodeStream' | 'errorBody'>): UpstreamResponse {
  if (!prepared.decodeStream && !prepared.errorBody) return res // every provider without a transport
  const head: ResponseHead = { status: res.status, headers: res.headers }
  if (res.status < 400) {
    const decoder = prepared.decodeStream?.(head)
    if (!decoder) return res
    return { ...res, headers: { ...res.headers, 'content-type': 'text/event-stream; charset=utf-8' }, body: decoded(res.body, decoder) }
  }
  const rewrite = prepared.errorBody
  if (!rewrite) return res
  return { ...res, headers: { ...res.headers, 'content-type': 'application/json' }, body: rewritten(res.body, (bytes) => rewrite(head, bytes)) }
}

const asBuffer = (out: Buffer | string): Buffer => (typeof out === 'string' ? Buffer.from(out) : out)

function decoded(body: UpstreamBody, decoder: BodyDecoder): UpstreamBody {
  return {
    subscribe(on) {
      let failed = false
      const run = (step: () => Buffer | string): Buffer | null => {
        try {
          return asBuffer(step())
        } catch (err) {
          failed = true
          body.destroy()
          on.error(new GatewayError('upstream_error', `the upstream's stream could not be decoded: ${(err as Error).message}`))
          return null
        }
      }
      body.subscribe({
        data(chunk) {
          if (failed) return
          const out = run(() => decoder.push(chunk))
          if (out?.length) on.data(out)
        },
        end() {
          if (failed) return
          const out = run(() => decoder.end())
          if (!out) return
          if (out.length) on.data(out)
          on.end()
        },
        error(err) {
          if (!failed) on.error(err)
        },
      })
    },
    destroy: () => body.destroy(),
  }
}

function rewritten(body: UpstreamBody, rewrite: (bytes: Buffer) => Buffer): UpstreamBody {
  return {
    subscribe(on) {
      const chunks: Buffer[] = []
      let size = 0
      body.subscribe({
        data(chunk) {
          if (size >= MAX_ERROR_BODY) return
          chunks.push(chunk)
          size += chunk.length
        },
        end() {
          on.data(rewrite(Buffer.concat(chunks)))
          on.end()
        },
        error: (err) => on.error(err),
      })
    },
    destroy: () => body.destroy(),
  }
}
