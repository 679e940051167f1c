// Local model servers found on this computer (Ollama, LM Studio), each with a button to use it.
import { useTranslation } from 'react-i18next';
import { useEffect } from 'react';
import { useNode, type DetectedProvider } from '../../stores/node';

export function DetectedProviders({ onUse }: { onUse(d: DetectedProvider, model?: string): void }) {
  const { t } = useTranslation('node');
  const detected = useNode((s) => s.detected);
  const detecting = useNode((s) => s.detecting);
  const detect = useNode((s) => s.detect);
  useEffect(() => {
    if (!detected && !detecting) void detect();
  }, [detected, detecting, detect]);
  return (
    <div className="detected" aria-live="polite">
      <div className="detected__head">
        <span className="field__label">{t('detected.title')}</span>
        <button type="button" className="btn btn--ghost btn--small" onClick={() => void detect()} disabled={detecting}>
          {detecting ? t('detected.looking') : t('detected.again')}
        </button>
      </div>
      {detected && detected.length === 0 && (
        <p className="hint">{t('detected.none')}</p>
      )}
      {detected && detected.length > 0 && (
        <ul className="detected__list">
          {detected.map((d) => (
            <li key={d.baseUrl}>
              <span>
                <strong>{d.name}</strong> <span className="mono">{d.baseUrl}</span>
                {d.models.length > 0 && <span className="hint"> · {t('detected.models', { count: d.models.length })}</span>}
              </span>
              <button type="button" className="btn btn--small" onClick={() => onUse(d)}>
                {d.models[0] ? t('detected.useModel', { name: d.name, model: d.models[0] }) : t('detected.use', { name: d.name })}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
