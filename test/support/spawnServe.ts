/** Runs the real headless CLI (`main/cli.ts`) as a child process and reads what it prints. */
import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'

export const cliPath = fileURLToPath(new URL('../../main/cli.ts', import.meta.url))

export type Served = { child: ChildProcess; output: () => string; url: string; adminUrl: string; firstKey: string | null; stop(): Promise<number | null> }

export function runCli(args: string[], env: Record<string, string | undefined> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cliPath, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()))
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

export function spawnServe(args: string[], env: Record<string, string | undefined> = {}, timeoutMs = 15_000): Promise<Served> {
  const child = spawn(process.execPath, [cliPath, 'serve', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()))
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()))
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => (child.kill(), reject(new Error(`serve did not start:\n${out}`))), timeoutMs)
    const check = () => {
      const url = out.match(/Gateway:\s+(http:\/\/\S+)/)?.[1]
      const adminUrl = out.match(/Admin UI:\s+(\S+)/)?.[1]
      if (!url || !adminUrl || !/^Ready\./m.test(out)) return
      clearTimeout(timer)
      child.stdout?.off('data', check)
      resolve({
        child,
        output: () => out,
        url,
        adminUrl,
        firstKey: out.match(/first API key[^:]*:\s+(sy-\S+)/)?.[1] ?? null,
        stop: () =>
          new Promise((done) => {
            if (child.exitCode !== null) return done(child.exitCode)
            child.once('exit', (code) => done(code))
            child.kill('SIGTERM')
          }),
      })
    }
    child.stdout?.on('data', check)
    child.on('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`serve exited with ${code}:\n${out}`))
    })
  })
}
