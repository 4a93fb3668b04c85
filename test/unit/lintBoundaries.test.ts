/**
 * The import boundaries in eslint.config.js hold: each row is an import that one folder may or may
 * not make (DESIGN.md's layering), linted in memory with the project's own config.
 */
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { ESLint } from 'eslint'

const root = fileURLToPath(new URL('../../', import.meta.url))
const eslint = new ESLint({ cwd: root })

const cases: Array<{ file: string; from: string; allowed: boolean }> = [
  { file: 'main/electron/window.ts', from: 'electron', allowed: true },
  { file: 'main/gateway/server.ts', from: 'electron', allowed: false },
  { file: 'renderer/views/x/X.tsx', from: 'electron', allowed: false },
  { file: 'renderer/views/x/X.tsx', from: '../../../preload/contract.ts', allowed: true },
  { file: 'renderer/views/x/X.tsx', from: '../../lib/gateway.ts', allowed: true },
  { file: 'renderer/views/x/X.tsx', from: 'zustand', allowed: true },
  { file: 'renderer/views/x/X.tsx', from: '../../../main/ids.ts', allowed: false },
  { file: 'renderer/views/x/X.tsx', from: '../../../preload/preload.ts', allowed: false },
  { file: 'main/dialects/openai/x.ts', from: '../../gateway/GatewayError.ts', allowed: false },
  { file: 'main/dialects/openai/x.ts', from: '../../errors/GatewayError.ts', allowed: true },
  { file: 'main/providers/x.ts', from: '../gateway/types.ts', allowed: false },
  { file: 'main/network/x.ts', from: '../gateway/GatewayError.ts', allowed: false },
  { file: 'main/gateway/x.ts', from: './GatewayError.ts', allowed: true },
  { file: 'main/routing/config/x.ts', from: '../../control/schemas.ts', allowed: false },
  { file: 'main/routing/config/x.ts', from: '../../guardrails/guardrailSet.ts', allowed: true },
  { file: 'main/control/x.ts', from: '../routing/compileRoutingTable.ts', allowed: true },
]

for (const c of cases) {
  test(`${c.file} ${c.allowed ? 'may' : 'may not'} import ${c.from}`, async () => {
    const [result] = await eslint.lintText(`import * as m from '${c.from}'\nexport const used = m\n`, { filePath: join(root, c.file) })
    const broken = (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports')
    assert.equal(broken.length, c.allowed ? 0 : 1, broken.map((m) => m.message).join('; '))
  })
}
