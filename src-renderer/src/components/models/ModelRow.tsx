// One model of the library: its facts (size, quantisation, licence, memory), its state with the
// download's progress, and what can be done with it now (download, pause, resume, cancel, use,
// delete after a confirmation).
import { useTranslation } from 'react-i18next';
import { i18n } from '../../i18n';
import { useId, useState } from 'react';
import type { LibraryModel } from '../../../../src-shared/ipc/contract';
import { formatBytes } from '../../../../src-shared/format/units';
import { MODEL_STATE_LABEL } from '../../lib/labels';
import { useModels } from '../../stores/models';
import { ExternalLink } from '../markdown/ExternalLink';
import { DownloadBar } from './DownloadBar';

function facts(m: LibraryModel): string[] {
  const out: string[] = [];
  if (m.parameters) out.push(i18n.t('models:facts.parameters', { value: m.parameters }));
  if (m.quantization) out.push(m.quantization);
  if (m.sizeBytes !== undefined) out.push(formatBytes(m.sizeBytes));
  if (m.ramEstimateBytes !== undefined) out.push(i18n.t(m.catalogueId ? 'models:facts.memoryAbout' : 'models:facts.memoryAtLeast', { size: formatBytes(m.ramEstimateBytes) }));
  return out;
}

export function ModelRow({ model }: { model: LibraryModel }) {
  const { t } = useTranslation('models');
  const busy = useModels((s) => s.pending.includes(model.fileName));
  const { download, pause, resume, cancel, remove, use } = useModels.getState();
  const [confirming, setConfirming] = useState(false);
  const nameId = useId();
  const m = model;
  const name = m.name;
  return (
    <li className="model-row" aria-labelledby={nameId}>
      <div className="model-row__head">
        <span>
          <strong id={nameId}>{name}</strong>
          <span className="tag">{t(MODEL_STATE_LABEL[m.state])}</span>
          {m.inUse && <span className="tag tag--accent">{t('row.inUse')}</span>}
        </span>
        <span className="model-row__actions">
          {m.state === 'available' && (
            <button type="button" className="btn btn--small btn--primary" disabled={busy} onClick={() => void download(m.fileName)} aria-label={t('row.downloadLabel', { name })}>
              {m.sizeBytes !== undefined ? t('row.downloadSize', { size: formatBytes(m.sizeBytes) }) : t('row.download')}
            </button>
          )}
          {m.state === 'downloading' && (
            <button type="button" className="btn btn--small" disabled={busy} onClick={() => void pause(m.fileName)} aria-label={t('row.pauseLabel', { name })}>
              {t('row.pause')}
            </button>
          )}
          {(m.state === 'paused' || m.state === 'failed') && (
            <button type="button" className="btn btn--small btn--primary" disabled={busy} onClick={() => void resume(m.fileName)} aria-label={m.state === 'failed' && !m.resumable ? t('row.retryLabel', { name }) : t('row.resumeLabel', { name })}>
              {m.state === 'failed' && !m.resumable ? t('row.retry') : t('row.resume')}
            </button>
          )}
          {(m.state === 'downloading' || m.state === 'paused' || m.state === 'failed') && (
            <button type="button" className="btn btn--small btn--ghost" disabled={busy} onClick={() => void cancel(m.fileName)} aria-label={t('row.cancelLabel', { name })}>
              {t('common:cancel')}
            </button>
          )}
          {m.state === 'installed' && !m.inUse && (
            <button type="button" className="btn btn--small btn--primary" disabled={busy} onClick={() => void use(m.fileName)} aria-label={t('row.useLabel', { name })}>
              {t('row.use')}
            </button>
          )}
          {m.state === 'installed' && !confirming && (
            <button type="button" className="btn btn--small btn--ghost btn--danger-text" disabled={busy || m.inUse} onClick={() => setConfirming(true)} aria-label={t('row.deleteLabel', { name })}>
              {t('row.deleteMenu')}
            </button>
          )}
        </span>
      </div>
      <p className="hint model-row__facts">
        {facts(m).join(' · ')}
        {m.licence && (
          <>
            {` · ${t('row.licence')} `}
            <ExternalLink href={m.licence.url}>{m.licence.name}</ExternalLink>
          </>
        )}
      </p>
      {m.progress && m.state !== 'installed' && m.state !== 'available' && <DownloadBar model={m} progress={m.progress} />}
      {m.state === 'failed' && m.error && <p className="text-danger model-row__error">{m.error}</p>}
      {confirming && (
        <div className="model-row__confirm" role="group" aria-label={t('row.confirmLabel', { name })}>
          <span>
            {m.sizeBytes !== undefined ? t('row.confirmSize', { name, size: formatBytes(m.sizeBytes) }) : t('row.confirm', { name })}
          </span>
          <span className="model-row__actions">
            <button
              type="button"
              className="btn btn--small btn--danger"
              disabled={busy}
              onClick={() => {
                setConfirming(false);
                void remove(m.fileName);
              }}
            >
              {t('row.delete')}
            </button>
            <button type="button" className="btn btn--small btn--ghost" onClick={() => setConfirming(false)} autoFocus>
              {t('row.keep')}
            </button>
          </span>
        </div>
      )}
    </li>
  );
}
