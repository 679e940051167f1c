// Shown when secrets are protected by a passphrase and the app has not been unlocked yet.
import { useState, type FormEvent } from 'react';
import { useApp } from '../../stores/app';
import { FormError } from '../ui/FormError';
import { LockBadge } from '../ui/LockBadge';

export function LockScreen({ onUnlocked }: { onUnlocked(): void }) {
  const unlock = useApp((s) => s.unlock);
  const [passphrase, setPassphrase] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (passphrase.length < 8) return setError('The passphrase has at least 8 characters.');
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
        <h1 id="lock-title">Unlock token.place</h1>
        <p className="hint">Your conversations and keys are encrypted with your passphrase.</p>
        <label className="field">
          <span className="field__label">Passphrase</span>
          <input type="password" autoFocus value={passphrase} onChange={(e) => setPassphrase(e.target.value)} aria-invalid={Boolean(error)} aria-describedby={error ? 'lock-error' : undefined} />
        </label>
        {error && <FormError id="lock-error">{error}</FormError>}
        <button type="submit" className="btn btn--primary btn--block" disabled={busy}>
          {busy ? 'Unlocking…' : 'Unlock'}
        </button>
      </form>
    </main>
  );
}
