// Debian's Chromium (never a downloaded browser) and the flags every run here starts it with:
// no sandbox (containers), no GPU, nothing phoning home. playwright.config.ts and the benches share it.
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
  '--disable-dev-shm-usage',
];
