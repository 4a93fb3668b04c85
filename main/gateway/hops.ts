/**
 * Loop protection. Every call the gateway makes upstream carries `x-switchyard-hops` (one more than
 * the request it serves), so a chain of gateways, or one gateway reaching itself through a custom host
 * with forwarded headers, is refused after a few hops instead of multiplying. And a target that is
 * this gateway's own listening address and port is refused outright (`refuseSelf`).
 */
import type { IncomingHttpHeaders } from 'node:http'
import { networkInterfaces } from 'node:os'
import { GatewayError } from './GatewayError.ts'

export const HOP_HEADER = 'x-switchyard-hops'
/** Gateways a request may pass through; a deliberate chain (laptop → team gateway) stays well inside. */
export const MAX_HOPS = 4

export function hopsOf(headers: IncomingHttpHeaders): number {
  const v = headers[HOP_HEADER]
  const n = Number(Array.isArray(v) ? v[0] : v)
  return Number.isInteger(n) && n > 0 ? n : 0
}

/** Where this gateway listens, once it does (one per process; tests may run several). */
const listening: Array<{ host: string; port: number }> = []

export function addListeningAddress(host: string, port: number): void {
  listening.push({ host: normalize(host), port })
}

export function removeListeningAddress(host: string, port: number): void {
  const i = listening.findIndex((l) => l.host === normalize(host) && l.port === port)
  if (i >= 0) listening.splice(i, 1)
}

const anyAddress = new Set(['0.0.0.0', '::'])
const loopbackNames = new Set(['localhost', '127.0.0.1', '::1'])

function normalize(host: string): string {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase().replace(/^::ffff:/, '')
  return h === 'localhost' ? '127.0.0.1' : h
}

/** Throws when `address:port` is this gateway itself. `address` is an IP or `localhost`. */
export function refuseSelf(address: string, port: number): void {
  if (listening.length === 0) return
  const a = normalize(address)
  for (const l of listening) {
    if (l.port !== port) continue
    const same = a === l.host || (loopbackNames.has(a) && loopbackNames.has(l.host)) || (anyAddress.has(l.host) && isLocal(a))
    if (same) throw new GatewayError('loop_detected', `the target ${address}:${port} is this gateway itself; refusing a loop`)
  }
}

/** An address of this machine (a gateway on 0.0.0.0 answers on every one of them). */
function isLocal(address: string): boolean {
  if (loopbackNames.has(address) || address.startsWith('127.')) return true
  for (const list of Object.values(networkInterfaces())) for (const i of list ?? []) if (normalize(i.address) === address) return true
  return false
}
