import { describe, expect, it } from 'vitest';
import { appMenuTemplate, boundRoles } from './app-menu';

describe('application menu', () => {
  for (const platform of ['linux', 'win32', 'darwin'] as const) {
    it(`has no reload or devtools in production on ${platform} (Ctrl/Cmd+R is Regenerate)`, () => {
      const roles = boundRoles(appMenuTemplate(platform, false, 'token.place'));
      expect(roles).not.toContain('reload');
      expect(roles).not.toContain('forceReload');
      expect(roles).not.toContain('toggleDevTools');
      expect(roles).toEqual(expect.arrayContaining(['copy', 'paste', 'cut', 'selectAll', 'quit']));
    });
  }

  it('offers reload (on F5, not Ctrl+R) and devtools in development', () => {
    const template = appMenuTemplate('linux', true, 'token.place');
    expect(boundRoles(template)).toEqual(expect.arrayContaining(['reload', 'toggleDevTools']));
    const view = template.find((item) => item.label === 'View');
    const reload = (view?.submenu as { role?: string; accelerator?: string }[]).find((item) => item.role === 'reload');
    expect(reload?.accelerator).toBe('F5');
  });

  it('puts the app menu first on macOS', () => {
    expect(appMenuTemplate('darwin', false, 'token.place')[0]?.label).toBe('token.place');
  });
});
