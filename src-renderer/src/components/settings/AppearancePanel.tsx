// Theme (light, dark, match the system), text size and the window's language.
import { useTranslation } from 'react-i18next';
import { LanguageChoiceSchema, ThemeSchema } from '../../../../src-shared/vocabulary';
import { LANGUAGE_NAME, systemLanguage } from '../../i18n';
import { THEME_LABEL } from '../../lib/labels';
import { useSettings } from '../../stores/settings';
import { Panel } from '../ui/Panel';

export function AppearancePanel() {
  const { t } = useTranslation('settings');
  const settings = useSettings((s) => s.settings);
  const update = useSettings((s) => s.update);
  return (
    <Panel title={t('appearance.title')}>
      <fieldset className="field segmented" aria-label={t('appearance.theme')}>
        <legend className="field__label">{t('appearance.theme')}</legend>
        {ThemeSchema.options.map((theme) => (
          <label key={theme} className={`segmented__option${settings.theme === theme ? ' segmented__option--on' : ''}`}>
            <input type="radio" name="theme" value={theme} checked={settings.theme === theme} onChange={() => void update({ theme })} />
            <span>{t(THEME_LABEL[theme])}</span>
          </label>
        ))}
      </fieldset>
      <label className="field">
        <span className="field__label">
          {t('appearance.textSize')} <output>{t('appearance.pixels', { count: settings.fontSize })}</output>
        </span>
        <input type="range" min={11} max={24} step={1} value={settings.fontSize} onChange={(e) => void update({ fontSize: Number(e.target.value) })} aria-valuetext={t('appearance.pixelsLong', { count: settings.fontSize })} />
      </label>
      <label className="field">
        <span className="field__label">{t('appearance.language')}</span>
        <select value={settings.language ?? 'system'} onChange={(e) => void update({ language: LanguageChoiceSchema.parse(e.target.value) })}>
          {LanguageChoiceSchema.options.map((choice) => (
            <option key={choice} value={choice} lang={choice === 'system' ? undefined : choice}>
              {choice === 'system' ? t('appearance.languageSystem', { language: LANGUAGE_NAME[systemLanguage()] }) : LANGUAGE_NAME[choice]}
            </option>
          ))}
        </select>
      </label>
    </Panel>
  );
}
