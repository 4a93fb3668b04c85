/**
 * Vite build for the renderer: root is this folder, output goes to dist/renderer, served by the
 * headless server under /ui/. `npm run dev:renderer` can proxy the Control API to a running
 * `serve` via SWITCHYARD_URL. Tool config: the one place a default export is expected.
 */
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

const here = import.meta.dirname

export default defineConfig({
  root: here,
  base: '/ui/',
  plugins: [react()],
  build: {
    outDir: `${here}/../dist/renderer`,
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
  },
  server: {
    host: '127.0.0.1',
    proxy: process.env.SWITCHYARD_URL ? { '/admin/api': process.env.SWITCHYARD_URL } : undefined,
  },
})
