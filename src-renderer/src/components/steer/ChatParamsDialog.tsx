// The open chat's model parameters (issue 14 Steer): its own values over its server's defaults,
// the values in effect with where each comes from, a preset to apply, and "reset to server defaults".
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { paramsInEffect, type ModelParams, type SteerParamName } from '../../../../src-shared/vocabulary/steer';
import { useConversations } from '../../stores/conversations';
import { activeServer, useServers } from '../../stores/servers';
import { presetName, useSteer } from '../../stores/steer';
import { useUi } from '../../stores/ui';
import { FormError } from '../ui/FormError';
import { Modal, type DialogProps } from '../ui/Modal';
import { draftOf, paramsOfDraft, shownValue, STEER_PARAM_NAMES } from './params-draft';
import { ParamsFields } from './ParamsFields';
import { ParamsInEffect } from './ParamsInEffect';
import '../../styles/steer.css';
import { DialogActions } from '../ui/FormActions';

export function ChatParamsDialog({ onClose }: DialogProps) {
  const { t } = useTranslation('steer');
  const active = useConversations((s) => s.active);
  const server = useServers((s) => activeServer(s.list));
  const defaults = useSteer((s) => (server ? s.serverDefaults[server.id] : undefined));
  const presets = useSteer((s) => s.presets);
  const { loadPresets, loadServerDefaults, setChatParams, applyPreset } = useSteer.getState();
  const openDialog = useUi((s) => s.openDialog);
  const [draft, setDraft] = useState(() => draftOf(active?.params));
  const [error, setError] = useState<string>();
  const [presetId, setPresetId] = useState(active?.presetId ?? '');

  const serverId = server?.id;
  useEffect(() => {
    void loadPresets();
    if (serverId) void loadServerDefaults(serverId);
  }, [serverId, loadPresets, loadServerDefaults]);
  // A preset applied (or a reset) changes the chat's values: the fields follow.
  const [shownParams, setShownParams] = useState(active?.params);
  if (active?.params !== shownParams) {
    setShownParams(active?.params);
    setDraft(draftOf(active?.params));
  }

  const parsed = paramsOfDraft(draft);
  const effect = paramsInEffect(defaults, 'params' in parsed ? parsed.params : active?.params);
  if (!active) return null;

  const placeholders: Partial<Record<SteerParamName, string>> = {};
  for (const name of STEER_PARAM_NAMES) {
    const v = defaults && shownValue(name, defaults as ModelParams);
    if (v !== undefined) placeholders[name] = t('placeholder.server', { value: v });
  }
  const save = async () => {
    if ('error' in parsed) return setError(parsed.error);
    if (await setChatParams(parsed.params)) onClose();
  };
  const reset = async () => {
    if (await setChatParams(null)) setError(undefined);
  };

  return (
    <Modal
      title={t('params.title')}
      description={t('params.explain', { server: server?.name ?? '' })}
      onClose={onClose}
      wide
      footer={
        <>
          <button type="button" className="btn btn--ghost" onClick={() => void reset()} disabled={!active.params}>
            {t('params.reset')}
          </button>
          <DialogActions onCancel={onClose} onPrimary={() => void save()} />
        </>
      }
    >
      <div className="steer-preset-row">
        <label className="field">
          <span className="field__label">{t('params.preset')}</span>
          <select value={presetId} onChange={(e) => setPresetId(e.target.value)}>
            <option value="">{t('params.choosePreset')}</option>
            {presets?.presets.map((p) => (
              <option key={p.id} value={p.id}>
                {presetName(p)}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="btn" disabled={!presetId} onClick={() => void applyPreset(presetId)}>
          {t('params.applyPreset')}
        </button>
        <button type="button" className="btn btn--ghost" onClick={() => openDialog('presets')}>
          {t('params.managePresets')}
        </button>
      </div>
      <ParamsFields draft={draft} onChange={(d) => (setDraft(d), setError(undefined))} placeholders={placeholders} />
      {error && <FormError>{error}</FormError>}
      <ParamsInEffect effect={effect} />
    </Modal>
  );
}
