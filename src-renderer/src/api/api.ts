// The renderer's only door to the rest of the app: `window.tokenplace` (the preload in Electron,
// the loopback test bridge in end-to-end tests, a fake in component tests).
import type { TokenPlaceApi } from '../../../src-shared/ipc/contract';

declare global {
  interface Window {
    tokenplace?: TokenPlaceApi;
  }
}

let override: TokenPlaceApi | undefined;

export function api(): TokenPlaceApi {
  const found = override ?? window.tokenplace;
  if (!found) throw new Error('The app bridge is missing: window.tokenplace is not defined.');
  return found;
}

export function hasApi(): boolean {
  return Boolean(override ?? window.tokenplace);
}

/** Tests install a fake here; passing undefined goes back to window.tokenplace. */
export function setApi(next: TokenPlaceApi | undefined): void {
  override = next;
}
