/** Usage analytics and logs: charts, filter menus, the log list and one row. Reads only. */
import { usageAnalytics } from '../store/usageAnalytics.ts'
import { ControlError } from './ControlError.ts'
import type { HandlerContext, Handlers } from './createControlService.ts'

export function analyticsHandlers(ctx: HandlerContext) {
  const { store } = ctx
  const repo = usageAnalytics(store.db)
  // Each read first writes what is queued, so a query right after a request sees it.
  return {
    'usage:analytics': (a) => (store.usageWriter.flush(), repo.analytics(a)),
    'usage:facets': (a) => (store.usageWriter.flush(), repo.facets(a)),
    'usage:logs': (a) => (store.usageWriter.flush(), repo.logs(a)),
    'usage:get': (a) => {
      store.usageWriter.flush()
      const row = store.usage.get(a.id)
      if (!row) throw new ControlError('not_found', `no usage row ${a.id}`)
      return row
    },
    'usage:body': (a) => (store.usageWriter.flush(), store.bodies.forUsage(a.id)),
  } satisfies Partial<Handlers>
}
