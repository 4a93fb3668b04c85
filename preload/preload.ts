/**
 * The desktop window's preload (sandboxed, bundled to one CommonJS file by scripts/build.ts): exposes
 * exactly the typed Control API bridge and nothing else.
 */
import { contextBridge, ipcRenderer } from 'electron'
import { createBridge } from './createBridge.ts'

contextBridge.exposeInMainWorld('switchyard', createBridge(ipcRenderer))
