import { describe, expect, it } from 'vitest';
import { mainWindowOptions } from './window-options';

const PRELOAD = '/app/out/preload/index.js';
const prefs = (development: boolean) => mainWindowOptions(PRELOAD, { width: 1000, height: 700 }, development).webPreferences!;

describe('main window options', () => {
  it('opens hidden at the saved bounds, with our preload', () => {
    const options = mainWindowOptions(PRELOAD, { x: 40, y: 30, width: 1000, height: 700 }, false);
    expect(options).toMatchObject({ x: 40, y: 30, width: 1000, height: 700, show: false });
    expect(options.webPreferences?.preload).toBe(PRELOAD);
  });

  it('gives the page no Node: isolated and sandboxed, in no frame and no worker', () => {
    expect(prefs(false)).toMatchObject({ contextIsolation: true, sandbox: true });
    const nodeFlags = Object.entries(prefs(false)).filter(([flag]) => flag.startsWith('nodeIntegration'));
    expect(nodeFlags.map(([flag]) => flag)).toContain('nodeIntegration');
    for (const [flag, on] of nodeFlags) expect(on, flag).toBe(false);
  });

  it('never relaxes web security: no insecure content, webviews, experimental or Blink features, drag-drop navigation', () => {
    const p = prefs(false);
    expect(p).toMatchObject({ webSecurity: true, allowRunningInsecureContent: false, webviewTag: false, navigateOnDragDrop: false });
    expect(p.experimentalFeatures).toBe(false);
    expect(p.enableBlinkFeatures ?? '').toBe('');
  });

  it('fetches no spell-check dictionaries and lets the user silence a page that keeps opening dialogs', () => {
    expect(prefs(false)).toMatchObject({ spellcheck: false, safeDialogs: true });
  });

  it('differs between development and production only in allowing devtools', () => {
    expect(prefs(false).devTools).toBe(false);
    expect(prefs(true)).toEqual({ ...prefs(false), devTools: true });
  });
});
