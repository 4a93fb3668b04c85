/**
 * Keys inside saved configs (`api_key` of a target, at any depth) live in the vault, like every other
 * provider key. A stored config (every version of it) keeps only a reference, `vault:<id>#<last four>`;
 * the Control API shows it masked (`****abcd`); compiling the routing table puts the key back, and
 * registers it with the scrubber. A masked value sent back on update keeps the key it stands for.
 */
import { randomBytes } from 'node:crypto'
import { redact } from '../../scrubber.ts'
import type { Vault } from '../../vault/openVault.ts'

const REF = /^vault:(cfgkey_[A-Za-z0-9_-]+)#(.{0,4})$/
const MASK = '****'

type Json = unknown
type Rewrite = (value: string) => string

/** Applies `fn` to every `api_key` string in a config; copies only what changes. */
function mapKeys(v: Json, fn: Rewrite): Json {
  if (Array.isArray(v)) {
    let out: Json[] | null = null
    v.forEach((x, i) => {
      const next = mapKeys(x, fn)
      if (next !== x) (out ??= v.slice())[i] = next
    })
    return out ?? v
  }
  if (v === null || typeof v !== 'object') return v
  let out: Record<string, Json> | null = null
  for (const [k, x] of Object.entries(v)) {
    const next = k === 'api_key' && typeof x === 'string' ? fn(x) : mapKeys(x, fn)
    if (next !== x) (out ??= { ...(v as Record<string, Json>) })[k] = next
  }
  return out ?? v
}

function references(config: Json): Array<{ ref: string; id: string; hint: string }> {
  const found: Array<{ ref: string; id: string; hint: string }> = []
  mapKeys(config, (value) => {
    const m = REF.exec(value)
    if (m) found.push({ ref: value, id: m[1] as string, hint: m[2] as string })
    return value
  })
  return found
}

/**
 * Moves every plain `api_key` into the vault and leaves a reference. A masked value (`****abcd`) or a
 * reference taken from `previous` (the config's current version) keeps that reference.
 */
export function sealConfigSecrets<T>(config: T, vault: Vault, previous?: unknown): T {
  const known = references(previous)
  return mapKeys(config, (value) => {
    if (REF.test(value)) return known.some((k) => k.ref === value) ? value : refuse()
    if (value.startsWith(MASK)) {
      const same = known.find((k) => MASK + k.hint === value)
      return same ? same.ref : refuse()
    }
    const id = `cfgkey_${randomBytes(12).toString('base64url')}`
    vault.put(id, value)
    redact(value)
    return `vault:${id}#${value.slice(-4)}`
  }) as T
}

function refuse(): never {
  throw new ConfigSecretError('api_key: a masked or vault value that this config does not hold; send the key itself')
}

export class ConfigSecretError extends Error {}

/** The config as the Control API shows it: each key masked to its last four characters. */
export function maskConfigSecrets<T>(config: T): T {
  return mapKeys(config, (value) => {
    const m = REF.exec(value)
    return m ? MASK + (m[2] as string) : value
  }) as T
}

/** The config as the routing table needs it: each reference replaced by its key, which the scrubber learns. */
export function revealConfigSecrets<T>(config: T, vault: Vault): T {
  return mapKeys(config, (value) => {
    const m = REF.exec(value)
    if (!m) {
      redact(value) // a config saved before keys went to the vault
      return value
    }
    const secret = vault.get(m[1] as string).reveal()
    redact(secret)
    return secret
  }) as T
}

/**
 * The config without the `api_key` members that refer to the vault (after the vault was reset, they
 * point at nothing), and how many there were. Other members are copied only where something changed.
 */
export function dropVaultKeys(config: Json): { config: Json; dropped: number } {
  let dropped = 0
  const walk = (v: Json): Json => {
    if (Array.isArray(v)) {
      const next = v.map(walk)
      return next.some((x, i) => x !== v[i]) ? next : v
    }
    if (v === null || typeof v !== 'object') return v
    let out: Record<string, Json> | null = null
    for (const [k, x] of Object.entries(v)) {
      if (k === 'api_key' && typeof x === 'string' && REF.test(x)) {
        dropped += 1
        out ??= { ...(v as Record<string, Json>) }
        delete out[k]
        continue
      }
      const next = walk(x)
      if (next !== x) (out ??= { ...(v as Record<string, Json>) })[k] = next
    }
    return out ?? v
  }
  return { config: walk(config), dropped }
}

/** The vault entries a config refers to (to remove them with it). */
export function configSecretIds(config: unknown): string[] {
  return references(config).map((r) => r.id)
}
