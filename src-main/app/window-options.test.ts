import { describe, expect, it } from 'vitest';
import { mainWindowOptions } from './window-options';

describe('main window options', () => {
  it('sets every renderer hardening flag explicitly', () => {
    const options = mainWindowOptions('/app/out/preload/index.js', { width: 1000, height: 700 }, false);
    expect(options.webPreferences).toMatchObject({
      preload: '/app/out/preload/index.js',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      spellcheck: false,
      devTools: false,
    });
    expect(options).toMatchObject({ width: 1000, height: 700, show: false });
  });

  it('allows devtools only in development', () => {
    expect(mainWindowOptions('/p.js', { width: 1000, height: 700 }, true).webPreferences?.devTools).toBe(true);
  });
});
