// What an answer is waiting on: the phase, a determinate bar while the node reads the prompt, time.
import { useTranslation } from 'react-i18next';
import { useNow } from '../../hooks/useNow';
import { PHASE_LABEL, PHASE_ORDER, formatElapsed } from '../../lib/phases';
import type { InFlight } from '../../stores/chat';

export function Waiting({ flight }: { flight: InFlight }) {
  const { t } = useTranslation('chat');
  const now = useNow(true);
  const elapsed = formatElapsed(now - flight.startedAt);
  const step = PHASE_ORDER.indexOf(flight.phase === 'confirming_node' ? 'finding_node' : flight.phase);
  const pct = flight.fraction !== undefined ? Math.round(flight.fraction * 100) : undefined;
  return (
    <div className="waiting" data-phase={flight.phase}>
      <div className="waiting__row">
        <span className="waiting__dots" aria-hidden="true">
          <i />
          <i />
          <i />
        </span>
        <span className="waiting__label">
          {flight.stopping ? t('answer.stopping') : t('waiting.phase', { phase: t(PHASE_LABEL[flight.phase]) })}
          {flight.phase === 'generating' && flight.generatedTokens ? ` ${t('tokens', { count: flight.generatedTokens })}` : ''}
          {flight.phase === 'prefill' && pct !== undefined ? ` ${pct}%` : ''}
        </span>
        <span className="waiting__elapsed" aria-label={t('waiting.elapsed', { elapsed })}>
          {elapsed}
        </span>
      </div>
      <ol className="waiting__steps" aria-hidden="true">
        {PHASE_ORDER.map((p, i) => (
          <li key={p} className={i < step ? 'done' : i === step ? 'current' : ''} />
        ))}
      </ol>
      {flight.phase === 'prefill' && pct !== undefined && (
        <div className="progress" role="progressbar" aria-label={t(PHASE_LABEL.prefill)} aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct}>
          <div className="progress__bar" style={{ width: `${pct}%` }} />
        </div>
      )}
    </div>
  );
}
