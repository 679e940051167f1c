// Theme (light, dark, match the system) and text size.
import type { Theme } from '../../../../src-shared/vocabulary';
import { THEME_LABEL } from '../../lib/labels';
import { useSettings } from '../../stores/settings';
import { Panel } from '../ui/Panel';

const THEMES = Object.keys(THEME_LABEL) as Theme[];

export function AppearancePanel() {
  const settings = useSettings((s) => s.settings);
  const update = useSettings((s) => s.update);
  return (
    <Panel title="Appearance">
      <fieldset className="field segmented" aria-label="Theme">
        <legend className="field__label">Theme</legend>
        {THEMES.map((t) => (
          <label key={t} className={`segmented__option${settings.theme === t ? ' segmented__option--on' : ''}`}>
            <input type="radio" name="theme" value={t} checked={settings.theme === t} onChange={() => void update({ theme: t })} />
            <span>{THEME_LABEL[t]}</span>
          </label>
        ))}
      </fieldset>
      <label className="field">
        <span className="field__label">
          Text size: <output>{settings.fontSize}px</output>
        </span>
        <input type="range" min={11} max={24} step={1} value={settings.fontSize} onChange={(e) => void update({ fontSize: Number(e.target.value) })} aria-valuetext={`${settings.fontSize} pixels`} />
      </label>
    </Panel>
  );
}
