/** Turns the pure tray model (main/desktop/trayMenu.ts) into Electron menu templates and tray icons. */
import { nativeImage, type MenuItemConstructorOptions, type NativeImage } from 'electron'
import type { TrayAction, TrayIcon, TrayItem } from '../desktop/trayMenu.ts'

export function toTemplate(items: TrayItem[], run: (a: TrayAction) => void): MenuItemConstructorOptions[] {
  return items.map((i): MenuItemConstructorOptions => {
    switch (i.type) {
      case 'separator':
        return { type: 'separator' }
      case 'submenu':
        return { label: i.label, submenu: toTemplate(i.items, run) }
      case 'radio':
        return { type: 'radio', label: i.label, checked: i.checked, click: () => run(i.action) }
      case 'normal': {
        const action = i.action
        return { label: i.label, enabled: i.enabled, ...(action ? { click: () => run(action) } : {}) }
      }
    }
  })
}

// 16×16 glyphs, one colour per state; a full icon set ships with the installer (build/icons).
const glyph = (rgb: [number, number, number]): NativeImage => {
  const size = 16
  const buf = Buffer.alloc(size * size * 4)
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const d = Math.hypot(x - 7.5, y - 7.5)
      const o = (y * size + x) * 4
      if (d > 7) continue
      // BGRA: a filled disc with a lighter switch bar across it.
      const bar = y >= 6 && y <= 9 && x >= 3 && x <= 12
      buf[o] = bar ? 255 : rgb[2]
      buf[o + 1] = bar ? 255 : rgb[1]
      buf[o + 2] = bar ? 255 : rgb[0]
      buf[o + 3] = 255
    }
  }
  return nativeImage.createFromBitmap(buf, { width: size, height: size })
}

const colours: Record<TrayIcon, [number, number, number]> = {
  running: [46, 160, 67],
  paused: [140, 140, 140],
  'over-budget': [219, 109, 40],
  error: [207, 34, 46],
}

const cache = new Map<TrayIcon, NativeImage>()
export function trayImage(icon: TrayIcon): NativeImage {
  let img = cache.get(icon)
  if (!img) cache.set(icon, (img = glyph(colours[icon])))
  return img
}
