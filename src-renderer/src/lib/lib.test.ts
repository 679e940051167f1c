import { describe, expect, it } from 'vitest';
import { describeError } from '../api/errors';
import { formatElapsed } from './phases';
import { matchShortcut, shortcutList } from './shortcuts';
import { plainText, shortFingerprint } from './text';

const key = (k: string, mods: Partial<{ ctrl: boolean; meta: boolean; alt: boolean; shift: boolean; code: string }> = {}) => ({
  key: k,
  code: mods.code,
  ctrlKey: Boolean(mods.ctrl),
  metaKey: Boolean(mods.meta),
  altKey: Boolean(mods.alt),
  shiftKey: Boolean(mods.shift),
});

describe('shortcuts', () => {
  it('maps the documented keys on Linux/Windows', () => {
    expect(matchShortcut(key('n', { ctrl: true }), true, false)).toEqual({ kind: 'new-chat' });
    expect(matchShortcut(key('k', { ctrl: true }), true, false)).toEqual({ kind: 'search' });
    expect(matchShortcut(key('Escape'), true, false)).toEqual({ kind: 'stop' });
    expect(matchShortcut(key('r', { ctrl: true }), false, false)).toEqual({ kind: 'regenerate' });
    expect(matchShortcut(key('R', { ctrl: true, shift: true }), false, false)).toEqual({ kind: 'regenerate' });
    expect(matchShortcut(key('ArrowUp', { ctrl: true, alt: true }), true, false)).toEqual({ kind: 'previous-conversation' });
    expect(matchShortcut(key('ArrowDown', { ctrl: true, alt: true }), true, false)).toEqual({ kind: 'next-conversation' });
    expect(matchShortcut(key('3', { ctrl: true, code: 'Digit3' }), true, false)).toEqual({ kind: 'go-to', index: 2 });
    expect(matchShortcut(key('/', { ctrl: true }), true, false)).toEqual({ kind: 'help' });
  });

  it('uses Cmd on macOS and leaves plain typing alone', () => {
    expect(matchShortcut(key('n', { meta: true }), true, true)).toEqual({ kind: 'new-chat' });
    expect(matchShortcut(key('n', { ctrl: true }), true, true)).toBeUndefined();
    expect(matchShortcut(key('n'), true, false)).toBeUndefined();
    expect(matchShortcut(key('?', { shift: true }), true, false)).toBeUndefined();
    expect(matchShortcut(key('?', { shift: true }), false, false)).toEqual({ kind: 'help' });
  });

  it('lists every shortcut for the help screen', () => {
    const text = shortcutList(false).map((s) => s.keys.join(' ') + s.what).join('\n');
    for (const k of ['Ctrl+N', 'Ctrl+K', 'Ctrl+F', 'Esc', 'Ctrl+R', 'Ctrl+Shift+R', 'Ctrl+Alt+↑', 'Ctrl+1']) expect(text).toContain(k);
  });
});

describe('text helpers', () => {
  it('shortens fingerprints into groups people can compare', () => {
    expect(shortFingerprint('a1b2c3d4e5f60718293a4b5c6d7e8f90')).toBe('A1B2 C3D4 E5F6 0718');
  });
  it('reduces markdown to words for screen readers', () => {
    expect(plainText('# Title\n\nSome **bold** and `code` and [a link](http://x)\n```js\nx()\n```')).toBe('Title Some bold and code and a link (code)');
  });
  it('formats elapsed time', () => {
    expect(formatElapsed(999)).toBe('0s');
    expect(formatElapsed(75_000)).toBe('1m 15s');
  });
  it('turns IPC rejections into plain words', () => {
    expect(describeError(new Error("Error invoking remote method 'chat:send': Error: The relay is busy."))).toBe('The relay is busy.');
    expect(describeError({ code: 'x', message: 'Nope.' })).toBe('Nope.');
    expect(describeError(undefined)).toMatch(/Something went wrong/);
  });
});
