/**
 * One time-series chart drawn with uPlot (canvas; ~50 KB, built for many points and frequent
 * updates). New data goes to `setData` on the existing plot; the plot is rebuilt only when the
 * series change, the width changes or the OS theme flips (colours come from CSS variables).
 * The canvas is announced as an image with a text summary; the legend shows values under the cursor.
 */
import { useEffect, useRef, useState } from 'react'
import uPlot from 'uplot'
import 'uplot/dist/uPlot.min.css'

export type ChartSeries = { label: string; values: Array<number | null>; kind?: 'line' | 'bars' }

type Props = {
  title: string
  /** What a screen reader hears instead of the canvas. */
  summary: string
  /** Bucket starts, epoch ms. */
  x: number[]
  series: ChartSeries[]
  format: (v: number) => string
  height?: number
}

const PALETTE = 8

function useDarkScheme(): boolean {
  const query = typeof window === 'undefined' ? null : window.matchMedia('(prefers-color-scheme: dark)')
  const [dark, setDark] = useState(query?.matches ?? false)
  useEffect(() => {
    if (!query) return
    const on = () => setDark(query.matches)
    query.addEventListener('change', on)
    return () => query.removeEventListener('change', on)
  }, [query])
  return dark
}

export function TimeChart({ title, summary, x, series, format, height = 180 }: Props) {
  const box = useRef<HTMLDivElement>(null)
  const plot = useRef<uPlot | null>(null)
  const [width, setWidth] = useState(0)
  const dark = useDarkScheme()
  const shape = `${series.map((s) => `${s.label}:${s.kind ?? 'line'}`).join('|')}`
  const formatRef = useRef(format)
  formatRef.current = format

  useEffect(() => {
    const el = box.current
    if (!el) return
    const ro = new ResizeObserver(() => setWidth(Math.floor(el.clientWidth)))
    ro.observe(el)
    setWidth(Math.floor(el.clientWidth))
    return () => ro.disconnect()
  }, [])

  const data = [x.map((t) => t / 1000), ...series.map((s) => s.values)] as uPlot.AlignedData

  useEffect(() => {
    const el = box.current
    if (!el || width === 0) return
    const css = getComputedStyle(el)
    const v = (name: string) => css.getPropertyValue(name).trim()
    const axis = { stroke: v('--muted'), grid: { stroke: v('--border'), width: 1 }, ticks: { stroke: v('--border'), width: 1 }, font: `11px ${v('--sans')}` }
    const u = new uPlot(
      {
        width,
        height,
        scales: { x: { time: true } },
        cursor: { drag: { x: false, y: false } },
        legend: { show: true, live: true },
        axes: [axis, { ...axis, size: 78, values: (_u, vals) => vals.map((n) => formatRef.current(n)) }],
        series: [
          {},
          ...series.map((s, i) => {
            const color = v(`--chart-${(i % PALETTE) + 1}`)
            return {
              label: s.label,
              stroke: color,
              width: s.kind === 'bars' ? 0 : 1.6,
              fill: s.kind === 'bars' ? color : undefined,
              points: { show: false },
              spanGaps: false,
              value: (_u: uPlot, n: number | null) => (n === null || n === undefined ? '—' : formatRef.current(n)),
              ...(s.kind === 'bars' ? { paths: uPlot.paths.bars?.({ size: [0.7, 48] }) } : {}),
            }
          }),
        ],
      },
      data,
      el,
    )
    plot.current = u
    return () => {
      u.destroy()
      plot.current = null
    }
    // data is pushed by the effect below; a rebuild is for shape, size and theme only
  }, [shape, width, height, dark])

  useEffect(() => {
    plot.current?.setData(data)
  })

  return (
    <figure className="chart card">
      <figcaption className="card-title">{title}</figcaption>
      <div ref={box} className="chart-canvas" role="img" aria-label={`${title}: ${summary}`} />
    </figure>
  )
}
