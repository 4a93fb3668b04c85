/**
 * Anthropic's Messages API. Claude Code and the Anthropic SDK talk to it natively: their requests
 * pass through byte for byte (unknown fields, `anthropic-beta` and `anthropic-version` headers
 * included); OpenAI chat and Responses callers are translated. Prices come from the pricing catalog.
 * https://docs.anthropic.com/en/api/messages
 */
import { defineProvider } from './provider.ts'

/** The version Switchyard speaks when the caller sent none (callers' own versions pass through). */
export const anthropicVersion = '2023-06-01'

export const anthropic = defineProvider({
  id: 'anthropic',
  name: 'Anthropic',
  dialect: 'anthropic',
  baseUrl: 'https://api.anthropic.com/v1',
  authHeaders: (apiKey) => ({ 'x-api-key': apiKey, 'anthropic-version': anthropicVersion }),
  streamUsage: 'always',
  endpoints: ['messages', 'count_tokens', 'models'],
  knownModels: [
    { id: 'claude-opus-4-5' },
    { id: 'claude-opus-4-1' },
    { id: 'claude-sonnet-4-5' },
    { id: 'claude-sonnet-4-0' },
    { id: 'claude-haiku-4-5' },
    { id: 'claude-3-5-haiku-latest' },
  ],
  docs: 'https://docs.anthropic.com/en/api/messages',
})
