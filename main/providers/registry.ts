/** Every provider kind Switchyard knows, by id. Adding an OpenAI-compatible provider: one file + one line here. */
import type { ProviderSpec } from './provider.ts'
import { anthropic } from './anthropic.ts'
import { azureOpenai } from './azureOpenai.ts'
import { bedrock } from './bedrock.ts'
import { deepseek } from './deepseek.ts'
import { fireworks } from './fireworks.ts'
import { gemini } from './gemini.ts'
import { groq } from './groq.ts'
import { llamacpp } from './llamacpp.ts'
import { lmstudio } from './lmstudio.ts'
import { mistral } from './mistral.ts'
import { ollama } from './ollama.ts'
import { openai } from './openai.ts'
import { openaiCompatible } from './openaiCompatible.ts'
import { openrouter } from './openrouter.ts'
import { perplexity } from './perplexity.ts'
import { together } from './together.ts'
import { vertex } from './vertex.ts'
import { vllm } from './vllm.ts'
import { xai } from './xai.ts'
import { azureSettings } from './azureSettings.ts'
import { bedrockSettings } from './aws/bedrockSettings.ts'
import { vertexSettings } from './google/vertexSettings.ts'

const all: readonly ProviderSpec[] = [
  openai, anthropic, azureOpenai, bedrock, vertex, gemini, groq, mistral, deepseek, together, fireworks, openrouter, xai, perplexity,
  ollama, lmstudio, vllm, llamacpp, openaiCompatible,
]

export const providerKinds: ReadonlyMap<string, ProviderSpec> = new Map(all.map((p) => [p.id, p]))

export function providerKind(id: string): ProviderSpec | undefined {
  return providerKinds.get(id)
}

/**
 * Every provider's own settings fields, merged into the integration settings schema. Spelled out (not
 * read off the specs) so their types survive: control/schemas.ts checks them against the contract.
 */
export const providerSettingsFields = { ...azureSettings.fields, ...bedrockSettings.fields, ...vertexSettings.fields }
