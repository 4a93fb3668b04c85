/**
 * Guardrails and network: a workspace's guardrail set (edited as JSON, saved whole), the test box
 * (what a sample text would become), and the custom-host policy (allow-list, loopback switch).
 */
import { createStore, type StoreApi } from 'zustand/vanilla'
import type { GuardrailSet, GuardrailTestResult, NetworkSettings } from '../../preload/contract.ts'
import { attempt } from '../lib/attempt.ts'
import type { ControlErrorInfo, Gateway } from '../lib/gateway.ts'

export type GuardrailsState = {
  workspaceId: string | null
  set: GuardrailSet | null
  busy: boolean
  error: ControlErrorInfo | null
  saveError: ControlErrorInfo | null
  test: GuardrailTestResult | null
  testError: ControlErrorInfo | null
  network: NetworkSettings | null
  networkError: ControlErrorInfo | null
  load(workspaceId: string): Promise<void>
  save(set: GuardrailSet | null): Promise<boolean>
  /** Runs a draft set (or, without one, the saved set) over the text. */
  runTest(text: string, stage: 'input' | 'output', draft?: GuardrailSet): Promise<void>
  loadNetwork(): Promise<void>
  saveNetwork(change: Partial<NetworkSettings>): Promise<boolean>
}

/** A starting set: secrets redacted, PII logged. */
export const starterGuardrails: GuardrailSet = {
  input: [
    { type: 'secrets', action: 'redact' },
    { type: 'pii', action: 'log' },
  ],
}

export function createGuardrailsStore(gateway: Gateway): StoreApi<GuardrailsState> {
  return createStore<GuardrailsState>()((set, get) => ({
    workspaceId: null,
    set: null,
    busy: false,
    error: null,
    saveError: null,
    test: null,
    testError: null,
    network: null,
    networkError: null,
    async load(workspaceId) {
      set({ workspaceId, test: null })
      const r = await attempt(set, () => gateway.invoke('guardrails:get', { workspaceId }))
      if (r) set({ set: r.guardrails })
    },
    async save(guardrails) {
      const workspaceId = get().workspaceId
      if (workspaceId === null) return false
      const r = await attempt(set, () => gateway.invoke('guardrails:set', { workspaceId, guardrails }), 'saveError')
      if (r) set({ set: r.guardrails })
      return r !== null
    },
    async runTest(text, stage, draft) {
      const workspaceId = get().workspaceId
      const input = draft ? { text, stage, guardrails: draft } : { text, stage, workspaceId: workspaceId ?? 'default' }
      const r = await attempt(set, () => gateway.invoke('guardrails:test', input), 'testError')
      set({ test: r })
    },
    async loadNetwork() {
      const r = await attempt(set, () => gateway.invoke('network:get', {}), 'networkError')
      if (r) set({ network: r })
    },
    async saveNetwork(change) {
      const r = await attempt(set, () => gateway.invoke('network:set', change), 'networkError')
      if (r) set({ network: r })
      return r !== null
    },
  }))
}
