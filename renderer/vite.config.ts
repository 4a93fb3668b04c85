/**
 * Vite build for the renderer: root is this folder, output goes to dist/renderer, served by the
 * headless server under /ui/. In dev (`vite --config renderer/vite.config.ts`) it proxies the Control
 * API to a running `serve` given as SWITCHYARD_URL; open /ui/#token=<admin token> on the dev server.
 * Tool config: the one place a default export is expected.
 */
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

const here = import.meta.dirname
const target = process.env.SWITCHYARD_URL

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
    // Dev only: forward the Control API to a running `serve`. The server checks Host and Origin, so
    // the proxy presents itself as that server's own page.
    proxy: target
      ? {
          '/admin/api': {
            target,
            changeOrigin: true,
            configure: (proxy) => {
              proxy.on('proxyReq', (req) => req.setHeader('origin', new URL(target).origin))
            },
          },
        }
      : undefined,
  },
})
