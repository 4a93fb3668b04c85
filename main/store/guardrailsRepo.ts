/** Rows of `workspace_guardrails`: one guardrail set per workspace, stored as JSON, replaced whole. */
import type { GuardrailSet } from '../../preload/contract.ts'
import type { Db } from './openDb.ts'

type Row = { workspace_id: string; guardrails: string }

export function guardrailsRepo(db: Db) {
  const one = db.prepare<[string], Row>('SELECT workspace_id, guardrails FROM workspace_guardrails WHERE workspace_id = ?')
  const all = db.prepare<[], Row>('SELECT workspace_id, guardrails FROM workspace_guardrails')
  const upsert = db.prepare<[string, string, number]>(
    `INSERT INTO workspace_guardrails (workspace_id, guardrails, updated_at) VALUES (?, ?, ?)
     ON CONFLICT(workspace_id) DO UPDATE SET guardrails = excluded.guardrails, updated_at = excluded.updated_at`,
  )
  const remove = db.prepare<[string]>('DELETE FROM workspace_guardrails WHERE workspace_id = ?')
  return {
    get(workspaceId: string): GuardrailSet | null {
      const r = one.get(workspaceId)
      return r ? (JSON.parse(r.guardrails) as GuardrailSet) : null
    },
    /** Every workspace's set, for compiling the routing table. */
    all(): Map<string, GuardrailSet> {
      return new Map(all.all().map((r) => [r.workspace_id, JSON.parse(r.guardrails) as GuardrailSet]))
    },
    /** null removes the workspace's guardrails. */
    set(workspaceId: string, set: GuardrailSet | null, now: number = Date.now()): void {
      if (set === null) remove.run(workspaceId)
      else upsert.run(workspaceId, JSON.stringify(set), now)
    },
  }
}

export type GuardrailsRepo = ReturnType<typeof guardrailsRepo>
