// The app's screens: opening, locked, could not start, or the workspace once booted.
import { LockScreen } from './components/shell/LockScreen';
import { Workspace } from './components/shell/Workspace';
import { useTranslation } from 'react-i18next';
import { useBoot } from './hooks/useBoot';
import { useLanguage } from './hooks/useLanguage';
import { useShortcuts } from './hooks/useShortcuts';
import { useTheme } from './hooks/useTheme';
import type { BootOptions } from './lib/boot';
import { useSettings } from './stores/settings';

export function App({ bootOptions }: { bootOptions?: BootOptions }) {
  const settings = useSettings((s) => s.settings);
  useTheme(settings);
  useLanguage(settings.language);
  const { t } = useTranslation('common');
  const { result, retry } = useBoot(bootOptions);
  useShortcuts(result?.state === 'ready');

  if (!result) {
    return (
      <main className="center-screen" aria-busy="true">
        <p className="hint">{t('app.opening')}</p>
      </main>
    );
  }
  if (result.state === 'locked') return <LockScreen onUnlocked={retry} />;
  if (result.state === 'failed') {
    return (
      <main className="center-screen">
        <div className="card" role="alert">
          <h1>{t('app.failed')}</h1>
          <p>{result.message}</p>
          <button type="button" className="btn btn--primary" onClick={retry}>
            {t('app.retry')}
          </button>
        </div>
      </main>
    );
  }
  return <Workspace />;
}
