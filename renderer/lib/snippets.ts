/**
 * Ready-to-copy client snippets for one `@slug/model`: curl, the OpenAI SDK (JS, Python), the
 * Anthropic SDK, Claude Code's settings and Codex's config. `KEY` stands in for the user's key.
 */
export type Snippet = { id: string; label: string; text: string }

const KEY = 'SWITCHYARD_API_KEY'

export function modelSnippets(gatewayUrl: string, model: string): Snippet[] {
  const q = JSON.stringify(model)
  return [
    {
      id: 'curl',
      label: 'curl',
      text: `curl ${gatewayUrl}/v1/chat/completions \\\n  -H "Authorization: Bearer $${KEY}" \\\n  -H "Content-Type: application/json" \\\n  -d '{"model": ${q}, "messages": [{"role": "user", "content": "Hello"}]}'`,
    },
    {
      id: 'openai-js',
      label: 'OpenAI SDK (JS)',
      text: `import OpenAI from 'openai'\n\nconst client = new OpenAI({ baseURL: '${gatewayUrl}/v1', apiKey: process.env.${KEY} })\nconst r = await client.chat.completions.create({ model: ${q}, messages: [{ role: 'user', content: 'Hello' }] })\nconsole.log(r.choices[0].message.content)`,
    },
    {
      id: 'openai-py',
      label: 'OpenAI SDK (Python)',
      text: `import os\nfrom openai import OpenAI\n\nclient = OpenAI(base_url="${gatewayUrl}/v1", api_key=os.environ["${KEY}"])\nr = client.chat.completions.create(model=${q}, messages=[{"role": "user", "content": "Hello"}])\nprint(r.choices[0].message.content)`,
    },
    {
      id: 'anthropic',
      label: 'Anthropic SDK',
      text: `import Anthropic from '@anthropic-ai/sdk'\n\nconst client = new Anthropic({ baseURL: '${gatewayUrl}', apiKey: process.env.${KEY} })\nconst m = await client.messages.create({ model: ${q}, max_tokens: 1024, messages: [{ role: 'user', content: 'Hello' }] })`,
    },
    {
      id: 'claude-code',
      label: 'Claude Code',
      text: `// ~/.claude/settings.json\n${JSON.stringify({ env: { ANTHROPIC_BASE_URL: gatewayUrl, ANTHROPIC_AUTH_TOKEN: `<${KEY}>`, ANTHROPIC_MODEL: model } }, null, 2)}`,
    },
    {
      id: 'codex',
      label: 'Codex',
      text: `# ~/.codex/config.toml\nmodel = ${q}\nmodel_provider = "switchyard"\n\n[model_providers.switchyard]\nname = "Switchyard"\nbase_url = "${gatewayUrl}/v1"\nenv_key = "${KEY}"\nwire_api = "responses"`,
    },
  ]
}
