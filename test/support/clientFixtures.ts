/**
 * Where the captured real-client requests live: `test/fixtures/clients/`, a copy of the shared
 * `../shared/fixtures/clients/` (see its README) kept in the repo so a fresh clone runs every test.
 */
import { fileURLToPath } from 'node:url'

export const clientFixtures = fileURLToPath(new URL('../fixtures/clients/', import.meta.url))
