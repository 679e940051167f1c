// The conversation header's entry to Steer: this chat's model parameters and presets. Its tooltip
// says what is in effect.
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { Conversation } from '../../../../src-shared/ipc/contract';
import { paramsInEffect } from '../../../../src-shared/vocabulary/steer';
import { activeServer, useServers } from '../../stores/servers';
import { presetName, useSteer } from '../../stores/steer';
import { useUi } from '../../stores/ui';
import { Icon } from '../ui/Icon';
import { paramsSummary } from './summary';

export function SteerButton({ conversation }: { conversation: Conversation }) {
  const { t } = useTranslation('steer');
  const openDialog = useUi((s) => s.openDialog);
  const server = useServers((s) => activeServer(s.list));
  const defaults = useSteer((s) => (server ? s.serverDefaults[server.id] : undefined));
  const preset = useSteer((s) => s.presets?.presets.find((p) => p.id === conversation.presetId));
  const serverId = server?.id;
  useEffect(() => {
    void useSteer.getState().loadPresets();
    if (serverId) void useSteer.getState().loadServerDefaults(serverId);
  }, [serverId]);
  const summary = paramsSummary(paramsInEffect(defaults, conversation.params).values) || t('effect.allNode');
  const own = Boolean(conversation.params);
  return (
    <button
      type="button"
      className={`btn btn--ghost${own ? ' btn--on' : ''}`}
      onClick={() => openDialog('steer-params')}
      title={t('header.title', { summary })}
      aria-label={own ? t('header.labelOwn') : t('header.label')}
    >
      <Icon name="settings" size={15} />
      <span>{preset ? presetName(preset) : t('header.button')}</span>
    </button>
  );
}
