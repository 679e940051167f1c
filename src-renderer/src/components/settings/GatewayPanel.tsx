// The local OpenAI-compatible gateway: on/off, its base URL and API key (with a copy button).
import { useTranslation } from 'react-i18next';
import { useSettings } from '../../stores/settings';
import { CopyButton } from '../ui/CopyButton';
import { Fact, Facts } from '../ui/Facts';
import { Panel } from '../ui/Panel';
import { Switch } from '../ui/Switch';

export function GatewayPanel() {
  const { t } = useTranslation('settings');
  const gateway = useSettings((s) => s.gateway);
  const busy = useSettings((s) => s.gatewayBusy);
  const setGateway = useSettings((s) => s.setGateway);
  return (
    <Panel title={t('gateway.title')} actions={<Switch label={t('gateway.title')} checked={Boolean(gateway?.enabled)} disabled={busy || !gateway} onChange={(v) => void setGateway(v)} />}>
      <p className="hint">{t('gateway.explain')}</p>
      {gateway?.enabled && (
        <Facts>
          <Fact term={t('gateway.baseUrl')} className="mono">
            {gateway.url ?? '—'}
          </Fact>
          <Fact term={t('gateway.apiKey')} className="token-row">
            <code className="mono token">{gateway.token ?? '—'}</code>
            <CopyButton text={gateway.token ?? ''} label={t('gateway.copyToken')} copiedLabel={t('gateway.tokenCopied')} className="btn btn--small" iconSize={14} showText disabled={!gateway.token} />
          </Fact>
        </Facts>
      )}
      {gateway?.error && <p className="form-error">{gateway.error}</p>}
    </Panel>
  );
}
