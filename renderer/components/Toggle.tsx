/** A labelled on/off switch (a checkbox with role=switch), keyboard operable with Space. */
export function Toggle(props: { label: string; hint?: string; checked: boolean; disabled?: boolean; onChange: (v: boolean) => void }) {
  return (
    <label className="toggle">
      <span className="toggle-switch">
        <input type="checkbox" role="switch" checked={props.checked} disabled={props.disabled} onChange={(e) => props.onChange(e.target.checked)} />
        <span className="toggle-track" aria-hidden="true" />
      </span>
      <span>
        <span className="toggle-label">{props.label}</span>
        {props.hint ? <span className="field-hint toggle-hint">{props.hint}</span> : null}
      </span>
    </label>
  )
}
