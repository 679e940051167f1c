// This computer's node in the Servers dialog: start / stop, its facts, and its provider form.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PROVIDER_NAME } from '../../lib/labels';
import { NODE_STATE_LABEL, NODE_TONE, nodeRunning } from '../../lib/status';
import { groupedFingerprint, shortFingerprint } from '../../lib/text';
import { useNode } from '../../stores/node';
import { useUi } from '../../stores/ui';
import { Fact, Facts } from '../ui/Facts';
import { Panel } from '../ui/Panel';
import { StatusDot } from '../ui/StatusDot';
import { NodeProviderForm } from './NodeProviderForm';

export function LocalNodePanel() {
  const { t } = useTranslation('node');
  const node = useNode((s) => s.status);
  const start = useNode((s) => s.start);
  const stop = useNode((s) => s.stop);
  const busy = useNode((s) => s.busy);
  const openDialog = useUi((s) => s.openDialog);
  const { t: tDesktop } = useTranslation('desktop');
  const [showForm, setShowForm] = useState(false);
  if (!node) return null;
  const running = nodeRunning(node.state);
  return (
    <Panel
      title={t('panel.title')}
      actions={
        node.configured && (
          <button type="button" className={`btn btn--small${running ? ' btn--danger' : ' btn--primary'}`} onClick={() => void (running ? stop() : start())} disabled={busy}>
            {running ? t('panel.stop') : t('panel.start')}
          </button>
        )
      }
    >
      <Facts>
        <Fact term={t('panel.status')}>
          <StatusDot tone={NODE_TONE[node.state] ?? 'unknown'} />
          {t(NODE_STATE_LABEL[node.state]) ?? node.state}
        </Fact>
        {node.config && (
          <Fact term={t('panel.provider')}>
            {t(PROVIDER_NAME[node.config.provider])}
            {node.config.baseUrl && <span className="mono"> · {node.config.baseUrl}</span>}
            {` · ${node.config.model}`}
            {node.config.hasApiKey && ` · ${t('panel.keySaved')}`}
          </Fact>
        )}
        {node.relayUrl && (
          <Fact term={t('panel.servingOn')} className="mono">
            {node.relayUrl}
          </Fact>
        )}
        {node.fingerprint && (
          <Fact term={t('panel.fingerprint')} className="mono" title={groupedFingerprint(node.fingerprint)}>
            {shortFingerprint(node.fingerprint)}…
          </Fact>
        )}
        <Fact term={t('panel.requests')}>{t('panel.requestCounts', { inFlight: node.inFlight, served: node.served })}</Fact>
        {node.error && (
          <Fact term={t('panel.problem')} className="text-danger">
            {node.error}
          </Fact>
        )}
      </Facts>
      {showForm || !node.configured ? (
        <NodeProviderForm onSaved={() => setShowForm(false)} />
      ) : (
        <button type="button" className="btn btn--ghost btn--small" onClick={() => setShowForm(true)}>
          {t('panel.change')}
        </button>
      )}
      {/* The built-in engine's models: download one, or choose which one this node serves. */}
      <button type="button" className="btn btn--ghost btn--small" onClick={() => openDialog('models')}>
        {tDesktop('node.modelLibrary')}
      </button>
    </Panel>
  );
}
