// A setting that is on or off: its label and a hint on the left, a Switch named by the label on the right.
import { Switch } from './Switch';

export function SettingSwitch({ label, hint, checked, disabled, onChange }: { label: string; hint: string; checked: boolean; disabled?: boolean; onChange(v: boolean): void }) {
  return (
    <div className="setting-row">
      <div>
        <p className="setting-row__label">{label}</p>
        <p className="hint">{hint}</p>
      </div>
      <Switch label={label} checked={checked} disabled={disabled} onChange={onChange} />
    </div>
  );
}
