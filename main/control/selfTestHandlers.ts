/** `selfTest:run`: the conformance self-test (main/selfTest/), planned first, run only when confirmed. */
import { generateApiKey } from '../store/apiKeysRepo.ts'
import { planSelfTest, runSelfTest } from '../selfTest/runSelfTest.ts'
import { ControlError } from './ControlError.ts'
import type { HandlerContext, Handlers } from './createControlService.ts'

export function selfTestHandlers(ctx: HandlerContext) {
  const { store, routes, deps, changed } = ctx
  return {
    'selfTest:run': async (a) => {
      const workspace = a.workspaceId ? store.workspaces.get(a.workspaceId) : store.workspaces.ensureDefault()
      if (!workspace) throw new ControlError('not_found', `no workspace '${a.workspaceId}'`, 'workspaceId')
      if (!a.confirm) {
        const { steps, estimate } = planSelfTest(a.profile, a.model, routes.current())
        return {
          profile: a.profile,
          model: a.model,
          ran: false,
          estimate,
          steps: steps.map(({ step, skip }) => ({ name: step.name, ok: false, ...(skip ? { skipped: skip } : {}), status: null, latencyMs: 0, notes: [] })),
          used: null,
        }
      }
      // A key of its own for the run (so the calls go through auth and governance like any client's), revoked after.
      const value = generateApiKey()
      const key = store.apiKeys.create({ name: `self-test ${new Date().toISOString()}`, workspaceId: workspace.id, key: value })
      changed('self-test key created')
      return runSelfTest(a.profile, a.model, {
        gatewayUrl: deps.status.gatewayUrl(),
        table: routes.current(),
        key: {
          value,
          done: () => {
            store.apiKeys.revoke(key.id)
            changed('self-test key revoked')
          },
        },
        usage: (traceIds) => {
          store.usageWriter.flush()
          const rows = traceIds.flatMap((traceId) => store.usage.query({ traceId }))
          return {
            inputTokens: rows.reduce((n, r) => n + (r.inputTokens ?? 0), 0),
            outputTokens: rows.reduce((n, r) => n + (r.outputTokens ?? 0), 0),
            costMicros: rows.reduce((n, r) => n + (r.costMicros ?? 0), 0),
          }
        },
      })
    },
  } satisfies Partial<Handlers>
}
