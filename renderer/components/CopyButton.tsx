/**
 * Copies a value to the clipboard and says so for a moment. Falls back to selecting nothing and
 * reporting failure when the page has no clipboard permission (e.g. plain http on a non-loopback host).
 */
import { useEffect, useState } from 'react'

type Props = { value: string; label?: string; className?: string }

export function CopyButton({ value, label = 'Copy', className = '' }: Props) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle')
  useEffect(() => {
    if (state === 'idle') return undefined
    const timer = setTimeout(() => setState('idle'), 1600)
    return () => clearTimeout(timer)
  }, [state])
  const copy = () => {
    navigator.clipboard.writeText(value).then(
      () => setState('copied'),
      () => setState('failed'),
    )
  }
  return (
    <button type="button" className={`btn btn-small ${className}`} onClick={copy}>
      {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : label}
    </button>
  )
}
