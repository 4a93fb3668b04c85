/** Attribution settings: project and branch read from coding agents' prompts into usage metadata. */
import { readAttributionSettings, writeAttributionSettings } from '../attribution/attributionSettings.ts'
import type { HandlerContext, Handlers } from './createControlService.ts'

export function attributionHandlers(ctx: HandlerContext) {
  const { store, changed } = ctx
  return {
    'attribution:get': () => readAttributionSettings(store.db),
    'attribution:set': (a) => {
      writeAttributionSettings(store.db, { enabled: a.enabled ?? readAttributionSettings(store.db).enabled })
      changed('attribution settings updated')
      return readAttributionSettings(store.db)
    },
  } satisfies Partial<Handlers>
}
