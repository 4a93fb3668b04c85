/** The store: one SQLite database, migrated on open, with a repository per table family. */
import { aliasesRepo } from './aliasesRepo.ts'
import { bodiesRepo } from './bodiesRepo.ts'
import { apiKeysRepo } from './apiKeysRepo.ts'
import { configsRepo } from './configsRepo.ts'
import { governanceRepo } from './governanceRepo.ts'
import { grantsRepo } from './grantsRepo.ts'
import { guardrailsRepo } from './guardrailsRepo.ts'
import { integrationsRepo } from './integrationsRepo.ts'
import { migrate } from './migrate.ts'
import { openDb, type Db } from './openDb.ts'
import { providersRepo } from './providersRepo.ts'
import { usageRepo } from './usageRepo.ts'
import { createUsageWriter, type UsageWrites } from './UsageWriter.ts'
import { workspacesRepo } from './workspacesRepo.ts'

export function openStore(file: string, opts: { usageWrites?: UsageWrites } = {}) {
  const db = openDb(file)
  migrate(db)
  const store = {
    db,
    workspaces: workspacesRepo(db),
    integrations: integrationsRepo(db),
    providers: providersRepo(db),
    apiKeys: apiKeysRepo(db),
    aliases: aliasesRepo(db),
    configs: configsRepo(db),
    usage: usageRepo(db),
    governance: governanceRepo(db),
    guardrails: guardrailsRepo(db),
    grants: grantsRepo(db),
    usageWriter: createUsageWriter(db, opts.usageWrites ? { mode: opts.usageWrites } : {}),
    bodies: bodiesRepo(db),
    close(): void {
      store.usageWriter.close()
      store.bodies.flush()
      db.close()
    },
  }
  store.workspaces.ensureDefault()
  return store
}

export type Store = ReturnType<typeof openStore>
export type { Db }
