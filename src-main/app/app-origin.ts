// Where the window's content comes from: the privileged `app://tokenplace/` origin in a built
// app, or the electron-vite dev server (ELECTRON_RENDERER_URL) in development. Everything that
// decides "is this URL ours?" goes through one UrlPolicy.
export const APP_SCHEME = 'app';
export const APP_HOST = 'tokenplace';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

export interface UrlPolicy {
  /** The URL the main window loads. */
  readonly entryUrl: string;
  /** True in development (dev server). */
  readonly development: boolean;
  /** True only for URLs on our own origin (app://tokenplace or the dev server origin). */
  isOwnUrl(url: string): boolean;
}

function originOf(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    // Custom schemes give origin "null" in WHATWG URL; compare scheme + host instead.
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return undefined;
  }
}

export function createUrlPolicy(devServerUrl: string | undefined): UrlPolicy {
  const dev = devServerUrl ? originOf(devServerUrl) : undefined;
  if (devServerUrl && (!dev || !/^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/.test(dev))) {
    throw new Error('ELECTRON_RENDERER_URL must be a loopback http:// address');
  }
  const allowed = dev ?? APP_ORIGIN;
  return {
    entryUrl: dev ? devServerUrl! : `${APP_ORIGIN}/index.html`,
    development: dev !== undefined,
    isOwnUrl: (url) => originOf(url) === allowed,
  };
}
