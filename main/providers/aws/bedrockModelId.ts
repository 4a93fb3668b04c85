/**
 * Anthropic model names → Bedrock model ids. Claude Code and the Anthropic SDK ask for
 * `claude-sonnet-4-5` or `claude-sonnet-4-5-20250929`; Bedrock wants `anthropic.claude-sonnet-4-5-20250929-v1:0`,
 * and for models it serves on demand only through cross-region inference, an inference profile
 * (`us.…`, `eu.…`, `apac.…`) of the region's geography. A Bedrock id or ARN given by the caller, or a
 * mapping in the integration's `modelMap`, is used as it is. Pure.
 * https://docs.aws.amazon.com/bedrock/latest/userguide/models-supported.html and
 * https://docs.aws.amazon.com/bedrock/latest/userguide/inference-profiles-support.html
 */
import { GatewayError } from '../../errors/GatewayError.ts'

type ClaudeOnBedrock = { names: readonly string[]; id: string; profileOnly: boolean }

/** Names clients use (undated alias first: it is what the catalog lists) → the foundation model id. */
export const claudeOnBedrock: readonly ClaudeOnBedrock[] = [
  { names: ['claude-opus-4-5', 'claude-opus-4-5-20251101'], id: 'anthropic.claude-opus-4-5-20251101-v1:0', profileOnly: true },
  { names: ['claude-sonnet-4-5', 'claude-sonnet-4-5-20250929'], id: 'anthropic.claude-sonnet-4-5-20250929-v1:0', profileOnly: true },
  { names: ['claude-haiku-4-5', 'claude-haiku-4-5-20251001'], id: 'anthropic.claude-haiku-4-5-20251001-v1:0', profileOnly: true },
  { names: ['claude-opus-4-1', 'claude-opus-4-1-20250805'], id: 'anthropic.claude-opus-4-1-20250805-v1:0', profileOnly: true },
  { names: ['claude-opus-4-0', 'claude-opus-4-20250514'], id: 'anthropic.claude-opus-4-20250514-v1:0', profileOnly: true },
  { names: ['claude-sonnet-4-0', 'claude-sonnet-4-20250514'], id: 'anthropic.claude-sonnet-4-20250514-v1:0', profileOnly: true },
  { names: ['claude-3-7-sonnet-latest', 'claude-3-7-sonnet-20250219'], id: 'anthropic.claude-3-7-sonnet-20250219-v1:0', profileOnly: true },
  { names: ['claude-3-5-haiku-latest', 'claude-3-5-haiku-20241022'], id: 'anthropic.claude-3-5-haiku-20241022-v1:0', profileOnly: false },
  { names: ['claude-3-5-sonnet-latest', 'claude-3-5-sonnet-20241022'], id: 'anthropic.claude-3-5-sonnet-20241022-v2:0', profileOnly: false },
  { names: ['claude-3-5-sonnet-20240620'], id: 'anthropic.claude-3-5-sonnet-20240620-v1:0', profileOnly: false },
  { names: ['claude-3-opus-20240229'], id: 'anthropic.claude-3-opus-20240229-v1:0', profileOnly: false },
  { names: ['claude-3-haiku-20240307'], id: 'anthropic.claude-3-haiku-20240307-v1:0', profileOnly: false },
]

const byName = new Map(claudeOnBedrock.flatMap((m) => m.names.map((n) => [n, m] as const)))
const profileOnly = new Set(claudeOnBedrock.filter((m) => m.profileOnly).map((m) => m.id))

/** `us.`, `eu.`, `apac.`, `jp.`, `au.`, `ca.`, `us-gov.`, `global.`: inference profile prefixes. */
const PROFILE_PREFIX = /^(us|eu|apac|jp|au|ca|us-gov|global)\./

/** The geography prefix of the system-defined inference profiles for a region. */
export function profilePrefix(region: string): string {
  if (region.startsWith('us-gov-')) return 'us-gov'
  if (region.startsWith('eu-')) return 'eu'
  if (region.startsWith('ap-')) return 'apac'
  return 'us'
}

/** `us.anthropic.claude-…-v1:0` or an ARN → `anthropic.claude-…-v1:0` (for pricing and family checks). */
export function foundationOf(id: string): string {
  const last = id.startsWith('arn:') ? (id.split('/').at(-1) ?? id) : id
  return last.replace(PROFILE_PREFIX, '')
}

const looksLikeBedrockId = (name: string): boolean => name.startsWith('arn:') || /^([a-z-]+\.)?[a-z0-9-]+\.[a-z0-9-]/.test(name)

/**
 * The id to invoke and the foundation model behind it. `region` picks the inference profile's
 * geography for models Bedrock serves only through one.
 */
export function bedrockModelId(name: string, region: string, modelMap?: Readonly<Record<string, string>>): { id: string; foundation: string } {
  const mapped = modelMap?.[name]
  if (mapped) return { id: mapped, foundation: foundationOf(mapped) }
  const known = byName.get(name)
  const dated = /^claude-[a-z0-9-]+-\d{8}$/.test(name) ? `anthropic.${name}-v1:0` : undefined
  const foundation = known?.id ?? dated
  if (foundation) {
    const needsProfile = known ? profileOnly.has(foundation) : true
    return { id: needsProfile ? `${profilePrefix(region)}.${foundation}` : foundation, foundation }
  }
  if (looksLikeBedrockId(name)) return { id: name, foundation: foundationOf(name) }
  throw new GatewayError(
    'model_not_found',
    `no Bedrock model id is known for '${name}': use a Bedrock model id or inference profile (us.anthropic.claude-…), or map the name in the integration's settings.modelMap`,
    { param: 'model' },
  )
}
