import { useState } from 'react';

const SHOW_COPIED_MS = 1500;

/**
 * Copy buttons: `copy(text)` writes to the clipboard and `copied` is true for a moment after a
 * write that worked; a refused write leaves it false, so the button never claims a copy that
 * did not happen.
 */
export function useCopy(): { copied: boolean; copy(text: string): Promise<void> } {
  const [copied, setCopied] = useState(false);
  const copy = async (text: string) => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
      setTimeout(() => setCopied(false), SHOW_COPIED_MS);
    } catch {
      setCopied(false);
    }
  };
  return { copied, copy };
}
