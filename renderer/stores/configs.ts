/**
 * Saved routing configs: Portkey-style JSON that clients select with `x-portkey-config: <slug>`.
 * Owns the list, the editor's save and validate outcomes, and deletes. The editor's text stays in
 * the view; it comes here as a `ConfigDraft` and leaves as parsed JSON. `validation` remembers the
 * text it checked, so the view can tell when the user has edited since.
 */
import { createStore, type StoreApi } from 'zustand/vanilla'
import type { SavedConfig } from '../../preload/contract.ts'
import { toErrorInfo, type ControlErrorInfo, type Gateway } from '../lib/gateway.ts'

/** The editor's fields, as typed. */
export type ConfigDraft = { slug: string; name: string; text: string }

/** One problem in a config; `path` is relative to the config (`targets[1].strategy.mode`, '' for the whole). */
export type ConfigIssue = { path: string; message: string }

export type ConfigValidation = { text: string; ok: boolean; errors: ConfigIssue[] }

export type ConfigsState = {
  items: SavedConfig[]
  loading: boolean
  error: ControlErrorInfo | null
  saving: boolean
  formError: ControlErrorInfo | null
  actionError: ControlErrorInfo | null
  validating: boolean
  validation: ConfigValidation | null
  load(): Promise<void>
  /** The current version of one config, fresh from the server, for the editor. */
  open(id: string): Promise<SavedConfig | null>
  validate(text: string): Promise<boolean>
  create(draft: ConfigDraft): Promise<SavedConfig | null>
  update(id: string, draft: ConfigDraft): Promise<SavedConfig | null>
  remove(id: string): Promise<boolean>
  /** Forget the editor's error and validation (opening, closing or switching the editor). */
  resetEditor(): void
}

/** What a client sends, shown in the empty state and as the editor's starting text. */
export const exampleConfig = {
  strategy: { mode: 'fallback' },
  targets: [
    { provider: '@openai-prod', override_params: { model: 'gpt-4o' } },
    { provider: '@anthropic-prod', override_params: { model: 'claude-sonnet-4-5' } },
  ],
}

export function configText(config: unknown): string {
  return JSON.stringify(config, null, 2)
}

/** The editor's text as a JSON object, or the reason it is not one (a parse error has no path). */
export function parseConfigText(
  text: string,
): { ok: true; config: Record<string, unknown> } | { ok: false; issue: ConfigIssue } {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err)
    return { ok: false, issue: { path: '', message: `Not valid JSON: ${reason}` } }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, issue: { path: '', message: 'A config is a JSON object ({ … }).' } }
  }
  return { ok: true, config: value as Record<string, unknown> }
}

export function createConfigsStore(gateway: Gateway): StoreApi<ConfigsState> {
  /** A draft that cannot be sent: the error the form shows instead of a server round trip. */
  const draftError = (issue: ConfigIssue): ControlErrorInfo => ({ code: 'invalid_input', message: issue.message, path: 'config' })

  /** After the server refused a config, list every problem in it, not just the first. */
  const explain = (store: StoreApi<ConfigsState>, err: ControlErrorInfo, text: string) => {
    if (err.code === 'invalid_input' && err.path?.startsWith('config')) void store.getState().validate(text)
  }

  const store = createStore<ConfigsState>()((set, get) => ({
    items: [],
    loading: false,
    error: null,
    saving: false,
    formError: null,
    actionError: null,
    validating: false,
    validation: null,
    async load() {
      set({ loading: true, error: null })
      try {
        const items = await gateway.invoke('configs:list', {})
        set({ items: sortBySlug(items), loading: false })
      } catch (err) {
        set({ loading: false, error: toErrorInfo(err) })
      }
    },
    async open(id) {
      set({ actionError: null })
      try {
        const config = await gateway.invoke('configs:get', { id })
        set({ items: sortBySlug(get().items.map((c) => (c.id === config.id ? config : c))) })
        return config
      } catch (err) {
        set({ actionError: toErrorInfo(err) })
        return null
      }
    },
    async validate(text) {
      const parsed = parseConfigText(text)
      if (!parsed.ok) {
        set({ validating: false, validation: { text, ok: false, errors: [parsed.issue] } })
        return false
      }
      set({ validating: true })
      try {
        const result = await gateway.invoke('configs:validate', { config: parsed.config })
        set({ validating: false, validation: { text, ok: result.ok, errors: result.errors } })
        return result.ok
      } catch (err) {
        const info = toErrorInfo(err)
        set({ validating: false, validation: { text, ok: false, errors: [{ path: info.path ?? '', message: info.message }] } })
        return false
      }
    },
    async create(draft) {
      const parsed = parseConfigText(draft.text)
      if (!parsed.ok) {
        set({ formError: draftError(parsed.issue) })
        return null
      }
      const input: { slug: string; name?: string; config: Record<string, unknown> } = {
        slug: draft.slug.trim(),
        config: parsed.config,
      }
      const name = draft.name.trim()
      if (name) input.name = name
      set({ saving: true, formError: null })
      try {
        const created = await gateway.invoke('configs:create', input)
        set({
          items: sortBySlug([...get().items.filter((c) => c.id !== created.id), created]),
          saving: false,
          validation: null,
        })
        return created
      } catch (err) {
        const info = toErrorInfo(err)
        set({ saving: false, formError: info })
        explain(store, info, draft.text)
        return null
      }
    },
    async update(id, draft) {
      const parsed = parseConfigText(draft.text)
      if (!parsed.ok) {
        set({ formError: draftError(parsed.issue) })
        return null
      }
      const input: { id: string; slug?: string; name?: string; config: Record<string, unknown> } = {
        id,
        config: parsed.config,
      }
      const current = get().items.find((c) => c.id === id)
      const slug = draft.slug.trim()
      if (slug && slug !== current?.slug) input.slug = slug
      const name = draft.name.trim()
      if (name && name !== current?.name) input.name = name
      set({ saving: true, formError: null })
      try {
        const updated = await gateway.invoke('configs:update', input)
        set({
          items: sortBySlug(get().items.map((c) => (c.id === updated.id ? updated : c))),
          saving: false,
          validation: null,
        })
        return updated
      } catch (err) {
        const info = toErrorInfo(err)
        set({ saving: false, formError: info })
        explain(store, info, draft.text)
        return null
      }
    },
    async remove(id) {
      set({ actionError: null })
      try {
        await gateway.invoke('configs:delete', { id })
        set({ items: get().items.filter((c) => c.id !== id) })
        return true
      } catch (err) {
        set({ actionError: toErrorInfo(err) })
        return false
      }
    },
    resetEditor() {
      set({ formError: null, validation: null, validating: false })
    },
  }))
  return store
}

function sortBySlug(items: SavedConfig[]): SavedConfig[] {
  return [...items].sort((a, b) => a.slug.localeCompare(b.slug))
}
