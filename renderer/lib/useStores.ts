/**
 * React access to the window's stores. `main.tsx` provides them once; views call `useStores()` and
 * subscribe with zustand's `useStore(store)`. Keeps views free of module-level singletons.
 */
import { createContext, use } from 'react'
import type { AppStores } from '../stores/appStores.ts'

export const StoresContext = createContext<AppStores | null>(null)

export function useStores(): AppStores {
  const stores = use(StoresContext)
  if (stores === null) throw new Error('useStores() needs <StoresContext value={…}> around the app')
  return stores
}
