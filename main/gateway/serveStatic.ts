/**
 * Serves the built web UI (`dist/renderer`) under `/ui/`. Files only from that folder; a strict
 * Content-Security-Policy; no secrets are ever in these files (the admin token stays in the URL fragment).
 */
import { createReadStream, statSync } from 'node:fs'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { extname, join, normalize, sep } from 'node:path'

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
}

const csp = "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'"

export function serveStatic(root: string | null, path: string, req: IncomingMessage, res: ServerResponse): void {
  if (!root) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('The web UI is not built. Run: npm run build')
    return
  }
  if (path === '/ui') return void res.writeHead(308, { location: '/ui/' }).end()
  let rel: string
  try {
    rel = decodeURIComponent(path.slice('/ui/'.length)) || 'index.html'
  } catch {
    return void res.writeHead(400).end()
  }
  const file = normalize(join(root, rel))
  if (!file.startsWith(normalize(root) + sep)) return void res.writeHead(403).end()
  let target = file
  let size: number
  try {
    const st = statSync(target)
    if (!st.isFile()) throw new Error('not a file')
    size = st.size
  } catch {
    // Client-side routes fall back to the app shell.
    target = join(root, 'index.html')
    try {
      size = statSync(target).size
    } catch {
      return void res.writeHead(404).end()
    }
  }
  const isHtml = target.endsWith('.html')
  res.writeHead(200, {
    'content-type': types[extname(target)] ?? 'application/octet-stream',
    'content-length': size,
    'cache-control': isHtml ? 'no-store' : 'public, max-age=31536000, immutable',
    'content-security-policy': csp,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  })
  if (req.method === 'HEAD') return void res.end()
  createReadStream(target).pipe(res)
}
