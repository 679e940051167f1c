// One preset's name, system prompt and parameters: a new one, or one of the user's to change.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { PRESET_NAME_MAX, SYSTEM_PROMPT_MAX, type Preset } from '../../../../src-shared/vocabulary/steer';
import { useSteer } from '../../stores/steer';
import { draftOf, paramsOfDraft } from './params-draft';
import { ParamsFields } from './ParamsFields';
import { FormActions } from '../ui/FormActions';

export function PresetForm({ preset, onDone }: { preset?: Preset; onDone(): void }) {
  const { t } = useTranslation('steer');
  const savePreset = useSteer((s) => s.savePreset);
  const [name, setName] = useState(preset?.name ?? '');
  const [prompt, setPrompt] = useState(preset?.systemPrompt ?? '');
  const [draft, setDraft] = useState(() => draftOf(preset?.params));
  const [error, setError] = useState<string>();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) return setError(t('error.noName'));
    const parsed = paramsOfDraft(draft);
    if ('error' in parsed) return setError(parsed.error);
    const outcome = await savePreset({ name: name.trim(), systemPrompt: prompt, params: parsed.params }, preset?.id);
    if (outcome.ok) onDone();
    else setError(outcome.text);
  };

  return (
    <form className="steer-preset-form" noValidate onSubmit={(e) => void submit(e)} aria-label={preset ? t('presets.editLabel', { name: preset.name }) : t('presets.new')}>
      <label className="field">
        <span className="field__label">{t('presets.name')}</span>
        <input value={name} maxLength={PRESET_NAME_MAX} onChange={(e) => setName(e.target.value)} />
      </label>
      <label className="field">
        <span className="field__label">{t('presets.prompt')}</span>
        <textarea rows={4} value={prompt} maxLength={SYSTEM_PROMPT_MAX} onChange={(e) => setPrompt(e.target.value)} placeholder={t('presets.promptPlaceholder')} />
      </label>
      <ParamsFields draft={draft} onChange={setDraft} />
      <FormActions onCancel={onDone} error={error} />
    </form>
  );
}
