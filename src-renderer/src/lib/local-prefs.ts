// Small choices of this window kept in localStorage. They are not settings: they never reach the
// backend, and losing them (storage unavailable or cleared) only means a screen shows again.

export const PROVIDER_SETUP_DISMISSED = 'tokenplace.providerSetupDismissed';

export function providerSetupDismissed(): boolean {
  try {
    return localStorage.getItem(PROVIDER_SETUP_DISMISSED) === '1';
  } catch {
    return false;
  }
}

export function dismissProviderSetup(): void {
  try {
    localStorage.setItem(PROVIDER_SETUP_DISMISSED, '1');
  } catch {
    // Storage may be unavailable; the screen then shows again next start, which is harmless.
  }
}
