/**
 * Settings: where the gateway listens (applies at the next start, with a warning for an exposed
 * host), where data lives, log retention and body capture, notification thresholds, the vault's
 * backend and launch at login. Each section saves on its own.
 */
import { Loading } from '../../components/Loading.tsx'
import { useEffect, useState, type FormEvent } from 'react'
import { useStore } from 'zustand'
import type { AppSettings } from '../../../preload/contract.ts'
import { ErrorNote } from '../../components/ErrorNote.tsx'
import { PageHeader } from '../../components/PageHeader.tsx'
import { Toggle } from '../../components/Toggle.tsx'
import { useStores } from '../../lib/useStores.ts'
import { isExposedHost } from '../../stores/settings.ts'

export function SettingsView() {
  const stores = useStores()
  const state = useStore(stores.settings)

  useEffect(() => {
    void stores.settings.getState().load()
  }, [stores])

  return (
    <section className="view">
      <PageHeader title="Settings" description="How Switchyard runs on this machine." />
      <ErrorNote error={state.error} />
      <ErrorNote error={state.saveError} />
      {state.savedAt !== null ? (
        <p className="note note-ok" role="status">
          Settings saved.
        </p>
      ) : null}
      {state.settings === null ? (
        state.error ? null : (
          <Loading what="settings" />
        )
      ) : (
        <SettingsForms key={JSON.stringify(state.settings)} settings={state.settings} busy={state.busy} save={state.save} />
      )}
    </section>
  )
}

function SettingsForms({ settings, busy, save }: { settings: AppSettings; busy: boolean; save: (c: Partial<AppSettings>) => Promise<boolean> }) {
  const [port, setPort] = useState(String(settings.port))
  const [host, setHost] = useState(settings.host)
  const [retention, setRetention] = useState(settings.logRetentionDays === null ? '' : String(settings.logRetentionDays))
  const [thresholds, setThresholds] = useState(settings.notifyThresholds.join(', '))
  const exposed = isExposedHost(host)

  const saveNetwork = (e: FormEvent) => {
    e.preventDefault()
    void save({ port: Number(port), host: host.trim() })
  }
  const saveLogs = (e: FormEvent) => {
    e.preventDefault()
    void save({ logRetentionDays: retention.trim() === '' ? null : Number(retention) })
  }
  const saveNotify = (e: FormEvent) => {
    e.preventDefault()
    void save({ notifyThresholds: thresholds.split(',').map((t) => Number(t.trim())).filter((t) => Number.isInteger(t) && t > 0) })
  }

  return (
    <div className="settings-grid">
      <form className="card form" aria-label="Gateway address" onSubmit={saveNetwork}>
        <div className="form-title">Gateway address</div>
        <div className="form-grid">
          <label className="field">
            <span className="field-label">Port</span>
            <input inputMode="numeric" value={port} onChange={(e) => setPort(e.target.value)} />
          </label>
          <label className="field">
            <span className="field-label">Host</span>
            <input value={host} onChange={(e) => setHost(e.target.value)} aria-describedby="host-hint" />
          </label>
        </div>
        <p id="host-hint" className="field-hint">
          Applies at the next start. <code>--port</code>, <code>--host</code> and <code>SWITCHYARD_PORT</code>/<code>SWITCHYARD_HOST</code> win over these.
        </p>
        {exposed ? (
          <p className="note note-warn" role="alert">
            <strong>{host}</strong> is reachable from other machines on your network. Every request still needs a Switchyard key, but the admin API
            and the gateway become a target: prefer 127.0.0.1 unless you mean to share it.
          </p>
        ) : null}
        <div className="form-actions">
          <button className="btn btn-primary" type="submit" disabled={busy}>
            Save address
          </button>
        </div>
      </form>

      <form className="card form" aria-label="Logs" onSubmit={saveLogs}>
        <div className="form-title">Logs</div>
        <label className="field">
          <span className="field-label">Keep request logs for (days; empty keeps everything)</span>
          <input inputMode="numeric" value={retention} onChange={(e) => setRetention(e.target.value)} />
        </label>
        <Toggle
          label="Capture request and response bodies"
          hint="Off by default; applies to the next request. Secrets are always redacted before a body is kept (up to 256 KB each side, 64 MB in all, deleted with the logs)."
          checked={settings.bodyCapture}
          disabled={busy}
          onChange={(v) => void save({ bodyCapture: v })}
        />
        <div className="form-actions">
          <button className="btn btn-primary" type="submit" disabled={busy}>
            Save retention
          </button>
        </div>
      </form>

      <form className="card form" aria-label="Notifications" onSubmit={saveNotify}>
        <div className="form-title">Notifications</div>
        <label className="field">
          <span className="field-label">Notify when a budget reaches (%)</span>
          <input value={thresholds} onChange={(e) => setThresholds(e.target.value)} />
        </label>
        <div className="form-actions">
          <button className="btn btn-primary" type="submit" disabled={busy}>
            Save thresholds
          </button>
        </div>
      </form>

      <div className="card form" role="group" aria-label="This machine">
        <div className="form-title">This machine</div>
        <dl className="facts">
          <dt>Data directory</dt>
          <dd className="mono">{settings.dataDir}</dd>
          <dt>Vault key</dt>
          <dd>
            {settings.vaultBackend === 'keychain' ? (
              <span className="badge badge-ok">OS keychain</span>
            ) : (
              <span className="badge badge-warn">Key file (less safe)</span>
            )}
          </dd>
        </dl>
        <Toggle
          label="Launch at login"
          hint="The desktop app starts with your session and keeps the gateway running."
          checked={settings.launchAtLogin}
          disabled={busy}
          onChange={(v) => void save({ launchAtLogin: v })}
        />
      </div>
    </div>
  )
}
