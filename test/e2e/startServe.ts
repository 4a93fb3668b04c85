/**
 * Runs the real headless server for end-to-end tests: builds the web UI (`vite build`), starts
 * `node main/cli.ts serve --port 0 --data-dir <tmp> --insecure-key-file` as a child process with a
 * chosen admin token, and reads the Gateway / Admin UI lines it prints. Stops it with SIGTERM.
 * Must not: import anything from `main/`; it talks to the server only as a user would.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..')

/** `vite build --config renderer/vite.config.ts`, with the project's own Node and vite. */
export function buildRenderer(): void {
  const vite = join(repoRoot, 'node_modules', 'vite', 'bin', 'vite.js')
  const result = spawnSync(process.execPath, [vite, 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'], {
    cwd: repoRoot,
    encoding: 'utf8',
  })
  if (result.status !== 0) {
    throw new Error(`vite build failed (${result.status}):\n${result.stdout}\n${result.stderr}`)
  }
}

export type Served = {
  /** `http://127.0.0.1:PORT`, the gateway and admin origin. */
  url: string
  /** The printed `…/ui/#token=…` link. */
  adminUrl: string
  adminToken: string
  dataDir: string
  /** Everything the server wrote so far, for failure messages. */
  output(): string
  /** Calls the Control API over HTTP as a script would; returns the parsed Result. */
  admin(name: string, input?: unknown): Promise<unknown>
  stop(): Promise<void>
}

export async function startServe(opts: { timeoutMs?: number; env?: Record<string, string> } = {}): Promise<Served> {
  const dataDir = mkdtempSync(join(tmpdir(), 'switchyard-e2e-'))
  const adminToken = `e2e-${randomBytes(18).toString('base64url')}`
  const child = spawn(
    process.execPath,
    ['main/cli.ts', 'serve', '--port', '0', '--data-dir', dataDir, '--insecure-key-file'],
    {
      cwd: repoRoot,
      env: { ...process.env, ...opts.env, SWITCHYARD_ADMIN_TOKEN: adminToken },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  let output = ''
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk))
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk))

  const stop = async () => {
    await terminate(child)
    rmSync(dataDir, { recursive: true, force: true })
  }

  try {
    const { url, adminUrl } = await waitForBanner(child, () => output, opts.timeoutMs ?? 30_000)
    return {
      url,
      adminUrl,
      adminToken,
      dataDir,
      output: () => output,
      async admin(name, input = {}) {
        const res = await fetch(`${url}/admin/api/${name}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
          body: JSON.stringify(input),
        })
        return (await res.json()) as unknown
      },
      stop,
    }
  } catch (err) {
    await stop()
    throw err
  }
}

function waitForBanner(
  child: ChildProcess,
  output: () => string,
  timeoutMs: number,
): Promise<{ url: string; adminUrl: string }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`serve printed no Admin UI line within ${timeoutMs} ms:\n${output()}`)), timeoutMs)
    const check = () => {
      const text = output()
      const url = /Gateway:\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(text)?.[1]
      const adminUrl = /Admin UI:\s+(http:\/\/\S+#token=\S+)/.exec(text)?.[1]
      if (url && adminUrl) finish(null, { url, adminUrl })
    }
    const onExit = (code: number | null) => finish(new Error(`serve exited with ${code} before it was ready:\n${output()}`))
    const finish = (err: Error | null, value?: { url: string; adminUrl: string }) => {
      clearTimeout(timer)
      child.stdout?.off('data', check)
      child.off('exit', onExit)
      if (err || !value) reject(err ?? new Error('no banner'))
      else resolve(value)
    }
    child.stdout?.on('data', check)
    child.once('exit', onExit)
    check()
  })
}

async function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000)
  await exited
  clearTimeout(timer)
}
