/**
 * Routing decision for a 3-level nested config: `node bench/routing.ts`.
 * The config is conditional → fallback → loadbalance (queries with $or, $in, $regex and a numeric
 * comparison over params and metadata, override_params at every level). It is validated and compiled
 * once, as when it is saved; what a request pays is `planAttempts` over the compiled plan, measured
 * here per request (inputs rotating over every branch), median of several rounds, against the 20 µs
 * target. Validation + compilation are printed too, for reference (paid once per config save).
 */
import { compileConfig } from '../main/routing/config/compileConfig.ts'
import { validateConfig } from '../main/routing/config/configSchema.ts'
import { planAttempts, type PlanInput } from '../main/routing/config/planAttempts.ts'

const TARGET_US = 20

export const nestedConfig = {
  retry: { attempts: 2 },
  override_params: { metadata: { gateway: 'switchyard' } },
  strategy: {
    mode: 'conditional',
    conditions: [
      { query: { $or: [{ 'metadata.user_plan': { $in: ['pro', 'team'] } }, { 'params.max_tokens': { $gte: 8192 } }] }, then: 'premium' },
      { query: { $and: [{ 'params.model': { $regex: '^claude-' } }, { 'metadata.region': { $ne: 'us' } }] }, then: 'eu-claude' },
    ],
    default: 'standard',
  },
  targets: [
    {
      name: 'premium',
      strategy: { mode: 'fallback', on_status_codes: [429, 500, 502, 503] },
      targets: [
        {
          strategy: { mode: 'loadbalance' },
          override_params: { temperature: 0.2 },
          targets: [
            { provider: '@anthropic-a', weight: 0.6, override_params: { model: 'claude-sonnet-4' } },
            { provider: '@anthropic-b', weight: 0.4, override_params: { model: 'claude-sonnet-4' }, request_timeout: 30000 },
          ],
        },
        { provider: '@openai', override_params: { model: 'gpt-4o', metadata: { fallback: 'yes' } } },
      ],
    },
    {
      name: 'eu-claude',
      strategy: { mode: 'fallback' },
      targets: [
        {
          strategy: { mode: 'loadbalance' },
          targets: [
            { provider: '@bedrock-eu', weight: 3 },
            { provider: '@vertex-eu', weight: 1 },
          ],
        },
        { provider: 'anthropic', api_key: 'sk-ant-bench' },
      ],
    },
    {
      name: 'standard',
      strategy: { mode: 'loadbalance' },
      targets: [
        { provider: '@openai', override_params: { model: 'gpt-4o-mini' } },
        { provider: 'ollama', custom_host: 'http://localhost:11434/v1', override_params: { model: 'llama3.2' } },
      ],
    },
  ],
}

const inputs: PlanInput[] = [
  { params: { model: 'gpt-4o', max_tokens: 1024 }, metadata: { user_plan: 'pro' } },
  { params: { model: 'gpt-4o', max_tokens: 16000 }, metadata: { user_plan: 'free' } },
  { params: { model: 'claude-haiku-4', max_tokens: 1024 }, metadata: { user_plan: 'free', region: 'eu' } },
  { params: { model: 'gpt-4o-mini', max_tokens: 256 }, metadata: {} },
]

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)] as number
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const v = validateConfig(nestedConfig)
  if (!v.ok) throw new Error(`bench config is invalid: ${JSON.stringify(v.errors)}`)
  const plan = compileConfig(v.config)
  let seed = 1
  const random = (): number => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646
  let sink = 0
  for (let i = 0; i < 20_000; i++) sink += planAttempts(plan, inputs[i & 3] as PlanInput, random).length // warm up the JIT

  const ROUNDS = 9
  const REPS = 100_000
  const rounds: number[] = []
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = performance.now()
    for (let i = 0; i < REPS; i++) sink += planAttempts(plan, inputs[i & 3] as PlanInput, random).length
    rounds.push(((performance.now() - t0) * 1000) / REPS)
  }
  const us = median(rounds)

  const compileRounds: number[] = []
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = performance.now()
    for (let i = 0; i < 500; i++) {
      const c = validateConfig(nestedConfig)
      if (c.ok) sink += compileConfig(c.config).root.path.length
    }
    compileRounds.push(((performance.now() - t0) * 1000) / 500)
  }

  const sample = inputs.map((input) => planAttempts(plan, input, () => 0.5).map((a) => `${a.target.provider}@${a.jsonPath.replace('config.', '')}`).join(' → '))
  console.log('routing decision, 3-level nested config (conditional → fallback → loadbalance), planAttempts per request:')
  console.log(`  median ${us.toFixed(3)} µs per request over ${ROUNDS} rounds of ${REPS}   target ≤ ${TARGET_US} µs   ${us <= TARGET_US ? 'OK' : 'OVER TARGET'}`)
  console.log(`  rounds (µs): ${rounds.map((x) => x.toFixed(3)).join(' ')}`)
  console.log(`  validate + compile the config (once per save): median ${median(compileRounds).toFixed(1)} µs`)
  for (const [i, s] of sample.entries()) console.log(`  input ${i}: ${s}`)
  if (sink < 0) console.log(sink)
}
