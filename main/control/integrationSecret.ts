/**
 * The secret an integration command carries, as the text the vault stores: `apiKey` as given, or
 * `credentials` (AWS keys, a Google credentials file) as JSON. Kinds with structured credentials check
 * them here and label them (an access key id's end, a service account's email) instead of showing the
 * JSON's last characters. Messages name the field, never the secret.
 */
import type { ProviderSpec } from '../providers/provider.ts'
import { Secret } from '../vault/Secret.ts'
import { ControlError } from './ControlError.ts'

export type IntegrationSecret = { text: string; hint: string | null }

export function integrationSecret(spec: ProviderSpec, input: { apiKey?: string; credentials?: unknown }): IntegrationSecret | undefined {
  if (input.apiKey !== undefined && input.credentials !== undefined) {
    throw new ControlError('invalid_input', 'give either apiKey or credentials, not both', 'credentials')
  }
  const field = input.credentials !== undefined ? 'credentials' : 'apiKey'
  const text = input.credentials !== undefined ? JSON.stringify(input.credentials) : input.apiKey
  if (text === undefined) return undefined
  if (spec.credential) {
    const problem = spec.credential.check(text)
    if (problem) throw new ControlError('invalid_input', `${spec.name}: ${problem} (expected ${spec.credential.describe})`, field)
    return { text, hint: spec.credential.hint(text) }
  }
  if (input.credentials !== undefined) throw new ControlError('invalid_input', `${spec.name} takes an apiKey, not credentials`, 'credentials')
  return { text, hint: new Secret(text).hint() || null }
}
