// Local model servers found on this computer (Ollama, LM Studio), each with a button to use it.
import { useEffect } from 'react';
import { plural } from '../../lib/text';
import { useNode, type DetectedProvider } from '../../stores/node';

export function DetectedProviders({ onUse }: { onUse(d: DetectedProvider, model?: string): void }) {
  const detected = useNode((s) => s.detected);
  const detecting = useNode((s) => s.detecting);
  const detect = useNode((s) => s.detect);
  useEffect(() => {
    if (!detected && !detecting) void detect();
  }, [detected, detecting, detect]);
  return (
    <div className="detected" aria-live="polite">
      <div className="detected__head">
        <span className="field__label">Found on this computer</span>
        <button type="button" className="btn btn--ghost btn--small" onClick={() => void detect()} disabled={detecting}>
          {detecting ? 'Looking…' : 'Look again'}
        </button>
      </div>
      {detected && detected.length === 0 && (
        <p className="hint">
          No local model server is running. Start Ollama (port 11434) or LM Studio’s server (port 1234), then look again.
        </p>
      )}
      {detected && detected.length > 0 && (
        <ul className="detected__list">
          {detected.map((d) => (
            <li key={d.baseUrl}>
              <span>
                <strong>{d.name}</strong> <span className="mono">{d.baseUrl}</span>
                {d.models.length > 0 && <span className="hint"> · {plural(d.models.length, 'model')}</span>}
              </span>
              <button type="button" className="btn btn--small" onClick={() => onUse(d)}>
                Use {d.name}
                {d.models[0] ? ` (${d.models[0]})` : ''}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
