/** Waits for the usage row of one trace id (rows are written just after the response ends). */
import type { UsageRow } from '../../preload/contract.ts'
import type { TestGateway } from './startTestGateway.ts'

export async function usageFor(gw: TestGateway, traceId: string, timeoutMs = 2000): Promise<UsageRow> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const rows = await gw.admin('usage:query', { traceId })
    if (rows[0]) return rows[0]
    if (Date.now() > deadline) throw new Error(`no usage row for trace ${traceId}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}
