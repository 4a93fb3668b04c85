/** Micro-USD as people read it in a menu or a notification: `$0.42`, `$12.50`, `$1,204`. */
export function formatUsd(micros: number): string {
  const usd = micros / 1_000_000
  if (Math.abs(usd) >= 1000) return `$${Math.round(usd).toLocaleString('en-US')}`
  if (usd !== 0 && Math.abs(usd) < 0.01) return '<$0.01'
  return `$${usd.toFixed(2)}`
}
