import { useEffect } from 'react';
import type { Settings } from '../../../src-shared/ipc/contract';

/** Applies theme and font size to <html> (data-theme, --font-size) and follows the system theme. */
export function useTheme(settings: Settings): void {
  useEffect(() => {
    const root = document.documentElement;
    const media = typeof window.matchMedia === 'function' ? window.matchMedia('(prefers-color-scheme: dark)') : undefined;
    const apply = () => {
      const dark = settings.theme === 'dark' || (settings.theme === 'system' && Boolean(media?.matches));
      root.dataset.theme = dark ? 'dark' : 'light';
      root.style.colorScheme = dark ? 'dark' : 'light';
    };
    apply();
    root.style.setProperty('--font-size', `${settings.fontSize}px`);
    if (settings.theme !== 'system' || !media) return;
    media.addEventListener('change', apply);
    return () => media.removeEventListener('change', apply);
  }, [settings.theme, settings.fontSize]);
}
