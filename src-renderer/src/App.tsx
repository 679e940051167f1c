// The app's screens: opening, locked, could not start, or the workspace once booted.
import { LockScreen } from './components/shell/LockScreen';
import { Workspace } from './components/shell/Workspace';
import { useBoot } from './hooks/useBoot';
import { useShortcuts } from './hooks/useShortcuts';
import { useTheme } from './hooks/useTheme';
import type { BootOptions } from './lib/boot';
import { useSettings } from './stores/settings';

export function App({ bootOptions }: { bootOptions?: BootOptions }) {
  const settings = useSettings((s) => s.settings);
  useTheme(settings);
  const { result, retry } = useBoot(bootOptions);
  useShortcuts(result?.state === 'ready');

  if (!result) {
    return (
      <main className="center-screen" aria-busy="true">
        <p className="hint">Opening token.place…</p>
      </main>
    );
  }
  if (result.state === 'locked') return <LockScreen onUnlocked={retry} />;
  if (result.state === 'failed') {
    return (
      <main className="center-screen">
        <div className="card" role="alert">
          <h1>token.place could not start</h1>
          <p>{result.message}</p>
          <button type="button" className="btn btn--primary" onClick={retry}>
            Try again
          </button>
        </div>
      </main>
    );
  }
  return <Workspace />;
}
