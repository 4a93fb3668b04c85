/** A gateway answer as the self-test reads it: status, JSON body or SSE events, and the model it names. */
export type SseData = { event: string | null; data: string }
export type Answer = { status: number; json: unknown; events: SseData[]; model: string | null; text: string }

/** Minimal SSE reader: `event:` and `data:` lines, events split on blank lines. */
export function parseSse(text: string): SseData[] {
  const out: SseData[] = []
  for (const block of text.replace(/\r\n?/g, '\n').split('\n\n')) {
    let event: string | null = null
    const data: string[] = []
    for (const line of block.split('\n')) {
      if (line.startsWith('event:')) event = line.slice(6).trim()
      else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''))
    }
    if (data.length) out.push({ event, data: data.join('\n') })
  }
  return out
}

export function readAnswer(status: number, contentType: string, text: string): Answer {
  if (contentType.includes('text/event-stream')) return { status, json: null, events: parseSse(text), model: null, text }
  let json: unknown = null
  try {
    json = JSON.parse(text)
  } catch {
    // not JSON: kept as text for the report
  }
  const model = json && typeof json === 'object' && typeof (json as { model?: unknown }).model === 'string' ? (json as { model: string }).model : null
  return { status, json, events: [], model, text }
}
