// Shown when secrets are protected by a passphrase and the app has not been unlocked yet.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useApp } from '../../stores/app';
import { FormError } from '../ui/FormError';
import { LockBadge } from '../ui/LockBadge';

export function LockScreen({ onUnlocked }: { onUnlocked(): void }) {
  const { t } = useTranslation('common');
  const unlock = useApp((s) => s.unlock);
  const [passphrase, setPassphrase] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (passphrase.length < 8) return setError(t('lock.tooShort'));
    setBusy(true);
    const outcome = await unlock(passphrase);
    if (outcome.ok) return onUnlocked();
    setError(outcome.text);
    setBusy(false);
  };
  return (
    <main className="center-screen">
      <form className="card lock-card" onSubmit={(e) => void submit(e)} aria-labelledby="lock-title">
        <LockBadge size={22} />
        <h1 id="lock-title">{t('lock.title')}</h1>
        <p className="hint">{t('lock.explain')}</p>
        <label className="field">
          <span className="field__label">{t('lock.passphrase')}</span>
          <input type="password" autoFocus value={passphrase} onChange={(e) => setPassphrase(e.target.value)} aria-invalid={Boolean(error)} aria-describedby={error ? 'lock-error' : undefined} />
        </label>
        {error && <FormError id="lock-error">{error}</FormError>}
        <button type="submit" className="btn btn--primary btn--block" disabled={busy}>
          {busy ? t('lock.unlocking') : t('lock.unlock')}
        </button>
      </form>
    </main>
  );
}
