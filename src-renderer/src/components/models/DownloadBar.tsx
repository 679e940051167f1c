// A download's progress: a bar and its words (bytes of total, speed, time left), or where it paused.
import { useTranslation } from 'react-i18next';
import { i18n } from '../../i18n';
import type { DownloadProgressInfo, LibraryModel } from '../../../../src-shared/ipc/contract';
import { formatBytes, formatDuration } from '../../../../src-shared/format/units';

/** "120 MB of 398 MB · 5.2 MB/s · about 1 min left" (or "Paused at 120 MB of 398 MB"). */
export function progressText(model: Pick<LibraryModel, 'state' | 'sizeBytes'>, p: DownloadProgressInfo): string {
  const total = p.totalBytes ?? model.sizeBytes;
  const amount = total ? i18n.t('models:progress.of', { received: formatBytes(p.receivedBytes), total: formatBytes(total) }) : formatBytes(p.receivedBytes);
  if (model.state !== 'downloading') return i18n.t('models:progress.stopped', { amount });
  const parts = [amount];
  if (p.bytesPerSecond > 0) parts.push(i18n.t('models:progress.speed', { speed: formatBytes(p.bytesPerSecond) }));
  if (p.secondsLeft !== undefined && p.bytesPerSecond > 0) parts.push(i18n.t('models:progress.left', { duration: formatDuration(p.secondsLeft) }));
  return parts.join(' · ');
}

export function DownloadBar({ model, progress }: { model: LibraryModel; progress: DownloadProgressInfo }) {
  const { t } = useTranslation('models');
  const total = progress.totalBytes ?? model.sizeBytes;
  const pct = total ? Math.min(100, Math.round((progress.receivedBytes / total) * 100)) : undefined;
  const text = progressText(model, progress);
  return (
    <div className="download">
      <div
        className="progress"
        role="progressbar"
        aria-label={t('progress.label', { name: model.name })}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct}
        aria-valuetext={pct === undefined ? text : `${pct}%: ${text}`}
      >
        <div className="progress__bar" style={{ width: `${pct ?? 0}%` }} />
      </div>
      <p className="hint download__text">{text}</p>
    </div>
  );
}
