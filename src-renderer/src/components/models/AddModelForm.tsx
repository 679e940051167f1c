// Adds a model that is not in the curated list: a .gguf download address (with the SHA-256 the
// publisher gives, when there is one), or a .gguf file on this computer (main's open dialog).
import { useTranslation } from 'react-i18next';
import { useState, type FormEvent } from 'react';
import type { Outcome } from '../../stores/feedback';
import { useModels } from '../../stores/models';
import { FormError } from '../ui/FormError';

export function AddModelForm() {
  const { t } = useTranslation('models');
  const addFromUrl = useModels((s) => s.addFromUrl);
  const importFile = useModels((s) => s.importFile);
  const [url, setUrl] = useState('');
  const [sha256, setSha256] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | undefined>();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const address = url.trim();
    const sum = sha256.trim();
    if (!/^https?:\/\/\S+\.gguf(\?\S*)?$/i.test(address)) return setOutcome({ ok: false, text: t('add.badUrl') });
    if (sum && !/^[0-9a-f]{64}$/i.test(sum)) return setOutcome({ ok: false, text: t('add.badSha') });
    setBusy(true);
    const result = await addFromUrl(address, sum || undefined);
    setBusy(false);
    setOutcome(result);
    if (result.ok) {
      setUrl('');
      setSha256('');
    }
  };

  return (
    <>
      <form className="add-model" onSubmit={(e) => void submit(e)} aria-label={t('add.form')}>
        <label className="field">
          <span className="field__label">{t('add.address')}</span>
          <input type="url" value={url} placeholder="https://huggingface.co/…/resolve/…/model-Q4_K_M.gguf" onChange={(e) => setUrl(e.target.value)} />
        </label>
        <label className="field">
          <span className="field__label">
            SHA-256 <span className="hint">{t('add.shaHint')}</span>
          </span>
          <input className="mono" value={sha256} spellCheck={false} autoComplete="off" onChange={(e) => setSha256(e.target.value)} />
        </label>
        {outcome && !outcome.ok && <FormError>{outcome.text}</FormError>}
        {outcome?.ok && (
          <p className="hint" role="status">
            {outcome.text}
          </p>
        )}
        <div className="form-actions">
          <button type="submit" className="btn btn--primary" disabled={busy}>
            {busy ? t('add.adding') : t('row.download')}
          </button>
        </div>
      </form>
      <p className="add-model__import">
        <button type="button" className="btn" onClick={() => void importFile()}>
          {t('add.import')}
        </button>{' '}
        <span className="hint">{t('add.importHint')}</span>
      </p>
    </>
  );
}
