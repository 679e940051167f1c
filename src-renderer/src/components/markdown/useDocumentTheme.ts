// The theme the page shows now (useTheme sets <html data-theme>), for pictures drawn in its colours.
import { useSyncExternalStore } from 'react';
import type { DiagramTheme } from './diagram-image';

function subscribe(onChange: () => void): () => void {
  const observer = new MutationObserver(onChange);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
  return () => observer.disconnect();
}

const current = (): DiagramTheme => (document.documentElement.dataset.theme === 'dark' ? 'dark' : 'light');

export function useDocumentTheme(): DiagramTheme {
  return useSyncExternalStore(subscribe, current);
}
