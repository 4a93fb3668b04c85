/**
 * ESLint (flat config), run by `npm test` and `npx eslint .`. Deliberately small so it stays fast:
 * the recommended rules that need no type information, plus the import boundaries of DESIGN.md's
 * layering. A boundary error names the rule it breaks and where the import should come from.
 * Tool config: the one place a default export is expected.
 */
import js from '@eslint/js'
import tseslint from 'typescript-eslint'

/** Only main/electron/ may load Electron: under plain Node, importing it starts a download. */
const electron = {
  paths: [{ name: 'electron', message: 'Only main/electron/ imports electron (DESIGN.md): pass what you need in from there.' }],
  patterns: [{ regex: '^electron/', message: 'Only main/electron/ imports electron (DESIGN.md): pass what you need in from there.' }],
}

/** The renderer reaches main only through the typed Control API: the contract and its own gateway client. */
const renderer = [
  { regex: '(^|/)main/', message: 'The renderer imports only preload/contract.ts and its own files (renderer/lib/gateway.ts talks to main): no main/ code.' },
  { regex: '(^|/)preload/(?!contract\\.ts$)', message: 'From preload/ the renderer imports only contract.ts.' },
]

/** Layers below the gateway: they know nothing of the request pipeline. */
const belowGateway = [
  { regex: '(^|/)gateway/', message: 'dialects/, providers/ and network/ sit below gateway/ (DESIGN.md): import GatewayError from main/errors/, shared types from their own layer.' },
]

/** Routing is compiled from the store; the Control API calls into it, never the other way round. */
const belowControl = [
  { regex: '(^|/)control/', message: 'routing/ does not import from control/ (control calls routing): move what both need into a lower layer (e.g. main/guardrails/).' },
]

/** One `no-restricted-imports` entry per folder: flat config replaces a rule's options, it does not merge them. */
function restrict(...groups) {
  return { 'no-restricted-imports': ['error', { paths: electron.paths, patterns: [...electron.patterns, ...groups.flat()] }] }
}

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'test/clients/', 'test/fixtures/', 'test-results/', '.data/', '.scratch/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: 'readonly', process: 'readonly', URL: 'readonly' } },
    rules: {
      // TypeScript checks names and globals itself (tsc runs first in npm test).
      'no-undef': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
      ...restrict(),
    },
  },
  // The shell: the Electron main process and the window's preload (contextBridge, ipcRenderer).
  { files: ['main/electron/**', 'preload/preload.ts'], rules: { 'no-restricted-imports': 'off' } },
  { files: ['renderer/**'], ignores: ['renderer/vite.config.ts'], rules: restrict(renderer) },
  { files: ['main/dialects/**', 'main/providers/**', 'main/network/**'], rules: restrict(belowGateway) },
  { files: ['main/routing/**'], rules: restrict(belowControl) },
)
