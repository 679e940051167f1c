// One model of the library: its facts (size, quantisation, licence, memory), its state with the
// download's progress, and what can be done with it now (download, pause, resume, cancel, use,
// delete after a confirmation).
import { useId, useState } from 'react';
import type { LibraryModel } from '../../../../src-shared/ipc/contract';
import { formatBytes } from '../../../../src-shared/format/units';
import { MODEL_STATE_LABEL } from '../../lib/labels';
import { useModels } from '../../stores/models';
import { ExternalLink } from '../markdown/ExternalLink';
import { DownloadBar } from './DownloadBar';

function facts(m: LibraryModel): string[] {
  const out: string[] = [];
  if (m.parameters) out.push(`${m.parameters} parameters`);
  if (m.quantization) out.push(m.quantization);
  if (m.sizeBytes !== undefined) out.push(formatBytes(m.sizeBytes));
  if (m.ramEstimateBytes !== undefined) out.push(`${m.catalogueId ? 'about' : 'at least'} ${formatBytes(m.ramEstimateBytes)} of memory`);
  return out;
}

export function ModelRow({ model }: { model: LibraryModel }) {
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
          <span className="tag">{MODEL_STATE_LABEL[m.state]}</span>
          {m.inUse && <span className="tag tag--accent">Used by this computer’s node</span>}
        </span>
        <span className="model-row__actions">
          {m.state === 'available' && (
            <button type="button" className="btn btn--small btn--primary" disabled={busy} onClick={() => void download(m.fileName)} aria-label={`Download ${name}`}>
              Download{m.sizeBytes !== undefined && ` (${formatBytes(m.sizeBytes)})`}
            </button>
          )}
          {m.state === 'downloading' && (
            <button type="button" className="btn btn--small" disabled={busy} onClick={() => void pause(m.fileName)} aria-label={`Pause the download of ${name}`}>
              Pause
            </button>
          )}
          {(m.state === 'paused' || m.state === 'failed') && (
            <button type="button" className="btn btn--small btn--primary" disabled={busy} onClick={() => void resume(m.fileName)} aria-label={`${m.state === 'failed' && !m.resumable ? 'Try again to download' : 'Resume the download of'} ${name}`}>
              {m.state === 'failed' && !m.resumable ? 'Try again' : 'Resume'}
            </button>
          )}
          {(m.state === 'downloading' || m.state === 'paused' || m.state === 'failed') && (
            <button type="button" className="btn btn--small btn--ghost" disabled={busy} onClick={() => void cancel(m.fileName)} aria-label={`Cancel the download of ${name}`}>
              Cancel
            </button>
          )}
          {m.state === 'installed' && !m.inUse && (
            <button type="button" className="btn btn--small btn--primary" disabled={busy} onClick={() => void use(m.fileName)} aria-label={`Use ${name} on this computer’s node`}>
              Use this model
            </button>
          )}
          {m.state === 'installed' && !confirming && (
            <button type="button" className="btn btn--small btn--ghost btn--danger-text" disabled={busy || m.inUse} onClick={() => setConfirming(true)} aria-label={`Delete ${name}…`}>
              Delete…
            </button>
          )}
        </span>
      </div>
      <p className="hint model-row__facts">
        {facts(m).join(' · ')}
        {m.licence && (
          <>
            {' · Licence: '}
            <ExternalLink href={m.licence.url}>{m.licence.name}</ExternalLink>
          </>
        )}
      </p>
      {m.progress && m.state !== 'installed' && m.state !== 'available' && <DownloadBar model={m} progress={m.progress} />}
      {m.state === 'failed' && m.error && <p className="text-danger model-row__error">{m.error}</p>}
      {confirming && (
        <div className="model-row__confirm" role="group" aria-label={`Delete ${name}?`}>
          <span>
            Delete {name}? {m.sizeBytes !== undefined && `This frees ${formatBytes(m.sizeBytes)}. `}You can download it again later.
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
              Delete
            </button>
            <button type="button" className="btn btn--small btn--ghost" onClick={() => setConfirming(false)} autoFocus>
              Keep it
            </button>
          </span>
        </div>
      )}
    </li>
  );
}
