// Presets ("assistants", issue 14 Steer): a named system prompt plus parameters. Built-in ones can
// be applied and duplicated; the user's can also be changed and deleted. One may be the default
// that every new chat starts with.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Preset } from '../../../../src-shared/vocabulary/steer';
import { useConversations } from '../../stores/conversations';
import { presetName, useSteer } from '../../stores/steer';
import { Icon } from '../ui/Icon';
import { Modal, type DialogProps } from '../ui/Modal';
import { Panel } from '../ui/Panel';
import { paramsSummary } from './summary';
import { PresetForm } from './PresetForm';
import '../../styles/steer.css';

export function PresetsDialog({ onClose }: DialogProps) {
  const { t } = useTranslation('steer');
  const list = useSteer((s) => s.presets);
  const { loadPresets, setDefaultPreset } = useSteer.getState();
  const [editing, setEditing] = useState<string | 'new'>();
  useEffect(() => void loadPresets(), [loadPresets]);

  return (
    <Modal title={t('presets.title')} description={t('presets.explain')} onClose={onClose} wide>
      <label className="field steer-default">
        <span className="field__label">{t('presets.default')}</span>
        <select value={list?.defaultPresetId ?? ''} onChange={(e) => void setDefaultPreset(e.target.value || null)} disabled={!list}>
          <option value="">{t('presets.noDefault')}</option>
          {list?.presets.map((p) => (
            <option key={p.id} value={p.id}>
              {presetName(p)}
            </option>
          ))}
        </select>
      </label>
      <Panel
        title={t('presets.list')}
        actions={
          editing !== 'new' && (
            <button type="button" className="btn btn--small" onClick={() => setEditing('new')}>
              <Icon name="plus" size={14} /> {t('presets.new')}
            </button>
          )
        }
      >
        {editing === 'new' && <PresetForm onDone={() => setEditing(undefined)} />}
        {!list && <p className="hint">{t('presets.loading')}</p>}
        <ul className="steer-presets">
          {list?.presets.map((p) =>
            editing === p.id ? (
              <li key={p.id}>
                <PresetForm preset={p} onDone={() => setEditing(undefined)} />
              </li>
            ) : (
              <PresetRow key={p.id} preset={p} isDefault={list.defaultPresetId === p.id} onEdit={() => setEditing(p.id)} onApplied={onClose} />
            ),
          )}
        </ul>
      </Panel>
    </Modal>
  );
}

function PresetRow({ preset, isDefault, onEdit, onApplied }: { preset: Preset; isDefault: boolean; onEdit(): void; onApplied(): void }) {
  const { t } = useTranslation('steer');
  const hasChat = useConversations((s) => Boolean(s.activeId));
  const { applyPreset, duplicatePreset, deletePreset } = useSteer.getState();
  const name = presetName(preset);
  const apply = async (newChat: boolean) => {
    if (await applyPreset(preset.id, newChat)) onApplied();
  };
  return (
    <li className="steer-preset" aria-label={name}>
      <div className="steer-preset__head">
        <span className="steer-preset__name">{name}</span>
        {preset.builtIn && <span className="tag">{t('presets.builtIn')}</span>}
        {isDefault && <span className="tag tag--accent">{t('presets.isDefault')}</span>}
      </div>
      <p className="hint steer-preset__summary">{paramsSummary(preset.params) || t('presets.noParams')}</p>
      {preset.systemPrompt && <p className="steer-preset__prompt">{preset.systemPrompt}</p>}
      <div className="steer-preset__buttons">
        {hasChat && (
          <button type="button" className="btn btn--small" onClick={() => void apply(false)} aria-label={t('presets.applyLabel', { name })}>
            {t('presets.apply')}
          </button>
        )}
        <button type="button" className="btn btn--ghost btn--small" onClick={() => void apply(true)} aria-label={t('presets.newChatLabel', { name })}>
          {t('presets.newChat')}
        </button>
        <button type="button" className="btn btn--ghost btn--small" onClick={() => void duplicatePreset(preset.id)} aria-label={t('presets.duplicateLabel', { name })}>
          {t('presets.duplicate')}
        </button>
        {!preset.builtIn && (
          <>
            <button type="button" className="btn btn--ghost btn--small" onClick={onEdit} aria-label={t('presets.editLabel', { name })}>
              {t('presets.edit')}
            </button>
            <button type="button" className="btn btn--ghost btn--small btn--danger-text" onClick={() => void deletePreset(preset.id)} aria-label={t('presets.deleteLabel', { name })}>
              {t('presets.delete')}
            </button>
          </>
        )}
      </div>
    </li>
  );
}
