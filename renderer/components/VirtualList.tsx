/**
 * A list that renders only the rows in view (plus a few), so 100,000 rows scroll like 40: rows have
 * one fixed height and are placed with a transform inside a spacer as tall as all of them.
 * Keyboard: the scroller takes focus; arrows, Page Up/Down, Home and End move the active row, Enter
 * opens it. `onNearEnd` asks for more rows before the user reaches the bottom.
 */
import { memo, useCallback, useEffect, useRef, useState, type KeyboardEvent, type ReactNode, type UIEvent } from 'react'

type Props<T> = {
  items: readonly T[]
  rowHeight: number
  height: number
  label: string
  activeIndex: number | null
  onActivate(index: number): void
  onOpen(index: number): void
  renderRow(item: T, index: number, active: boolean): ReactNode
  onNearEnd?(): void
  overscan?: number
}

export function VirtualList<T>({ items, rowHeight, height, label, activeIndex, onActivate, onOpen, renderRow, onNearEnd, overscan = 4 }: Props<T>) {
  const scroller = useRef<HTMLDivElement>(null)
  // The first row in view, not the scroll offset: scrolling within a row renders nothing.
  const [topRow, setTopRow] = useState(0)
  const visible = Math.ceil(height / rowHeight)
  const first = Math.max(0, topRow - overscan)
  const last = Math.min(items.length, topRow + visible + overscan)
  // Clicks reach the latest callbacks without making every row's props change on each render.
  const handlers = useRef({ onActivate, onOpen })
  handlers.current = { onActivate, onOpen }
  const pick = useCallback((i: number) => {
    handlers.current.onActivate(i)
    handlers.current.onOpen(i)
  }, [])
  const onScroll = useCallback((e: UIEvent<HTMLDivElement>) => setTopRow(Math.floor(e.currentTarget.scrollTop / rowHeight)), [rowHeight])

  useEffect(() => {
    if (onNearEnd && last >= items.length - visible * 4 && items.length > 0) onNearEnd()
  }, [last, items.length, visible, onNearEnd])

  const reveal = useCallback(
    (i: number) => {
      const el = scroller.current
      if (!el) return
      const y = i * rowHeight
      if (y < el.scrollTop) el.scrollTop = y
      else if (y + rowHeight > el.scrollTop + height) el.scrollTop = y + rowHeight - height
    },
    [rowHeight, height],
  )

  const onKeyDown = (e: KeyboardEvent) => {
    if (items.length === 0) return
    const at = activeIndex ?? -1
    const moves: Record<string, number> = { ArrowDown: at + 1, ArrowUp: at - 1, PageDown: at + visible, PageUp: at - visible, Home: 0, End: items.length - 1 }
    const next = moves[e.key]
    if (next !== undefined) {
      e.preventDefault()
      const i = Math.min(items.length - 1, Math.max(0, next))
      onActivate(i)
      reveal(i)
    } else if (e.key === 'Enter' && activeIndex !== null) {
      e.preventDefault()
      onOpen(activeIndex)
    }
  }

  // Rows live in fixed slots (index mod slot count), in slot order: a row that scrolls out hands its
  // DOM nodes to the one that scrolls in, so a fast scroll updates text and a transform instead of
  // creating, removing or moving nodes. aria-rowindex gives assistive technology the real order.
  const slots = visible + 2 * overscan + 1
  const rows: ReactNode[] = new Array<ReactNode>(slots).fill(null)
  for (let i = first; i < last; i++) {
    rows[i % slots] = (
      <Row key={i % slots} item={items[i] as T} index={i} active={i === activeIndex} rowHeight={rowHeight} renderRow={renderRow} onPick={pick} />
    )
  }

  return (
    <div
      ref={scroller}
      className="vlist"
      role="rowgroup"
      aria-label={label}
      tabIndex={0}
      style={{ height }}
      onScroll={onScroll}
      onKeyDown={onKeyDown}
    >
      <div className="vlist-spacer" role="none" style={{ height: items.length * rowHeight }}>
        {rows}
      </div>
    </div>
  )
}

type RowProps<T> = {
  item: T
  index: number
  active: boolean
  rowHeight: number
  renderRow(item: T, index: number, active: boolean): ReactNode
  onPick(index: number): void
}

/** Memoised: a slot whose row, index and state are unchanged is not rendered again when the list scrolls. */
const Row = memo(function Row<T>({ item, index, active, rowHeight, renderRow, onPick }: RowProps<T>) {
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      aria-selected={active}
      className={active ? 'vrow active' : 'vrow'}
      style={{ transform: `translateY(${index * rowHeight}px)`, height: rowHeight }}
      onClick={() => onPick(index)}
    >
      {renderRow(item, index, active)}
    </div>
  )
}) as <T>(props: RowProps<T>) => ReactNode
