// The tray, window-close and notification decisions, as plain logic (no Electron binary runs here).
import { describe, expect, it } from 'vitest';
import type { ChatEvent, LocalNodeStatus } from '../../src-shared/ipc/contract';
import { DESKTOP_WORDS } from '../../src-shared/i18n/desktop-words';
import { LocalNodeStateSchema } from '../../src-shared/vocabulary';
import { answerNotificationText, answerToNotify } from './notifications-policy';
import { electronTrayMenu } from './tray';
import { trayMenuTemplate, trayTooltip, type TrayMenuItem } from './tray-menu';
import { closeAction, quitWhenAllWindowsClosed } from './window-close';

const { en, de, es } = DESKTOP_WORDS;
const node = (over: Partial<LocalNodeStatus>): LocalNodeStatus => ({ configured: true, state: 'stopped', inFlight: 0, served: 0, ...over });
const labels = (items: TrayMenuItem[]) => items.map((i) => (i.kind === 'separator' ? '—' : i.kind === 'action' ? `${i.label}${i.enabled ? '' : ' (disabled)'}` : i.label));

describe('tray menu', () => {
  it('shows the node serving, with Stop serving, Open and Quit', () => {
    expect(labels(trayMenuTemplate(node({ state: 'serving', inFlight: 2 }), en))).toEqual([
      'This computer’s node: serving (2 answering)',
      '—',
      'Open token.place',
      'Stop serving',
      '—',
      'Quit token.place',
    ]);
    expect(trayTooltip(node({ state: 'serving' }), en)).toBe('token.place — node serving');
  });

  it('offers Start serving when stopped, and only once a provider is set up', () => {
    expect(labels(trayMenuTemplate(node({ state: 'stopped' }), en))).toContain('Start serving');
    expect(labels(trayMenuTemplate(node({ state: 'unconfigured', configured: false }), en))).toEqual([
      'This computer’s node: not set up',
      '—',
      'Open token.place',
      'Start serving (disabled)',
      '—',
      'Quit token.place',
    ]);
    expect(labels(trayMenuTemplate(undefined, en))[0]).toBe('This computer’s node: starting the app…');
    expect(labels(trayMenuTemplate(undefined, en))).toContain('Start serving (disabled)');
  });

  it('has words for every node state, and Stop while starting or restarting', () => {
    for (const state of LocalNodeStateSchema.options) {
      const items = trayMenuTemplate(node({ state }), en);
      expect(items[0]).toMatchObject({ kind: 'status', label: expect.stringMatching(/^This computer’s node: \S/) });
      const toggle = items.find((i) => i.kind === 'action' && i.action !== 'open' && i.action !== 'quit');
      const expected = state === 'serving' || state === 'starting' || state === 'restarting' ? 'stop-serving' : 'start-serving';
      expect(toggle, state).toMatchObject({ action: expected });
    }
  });

  it('becomes an Electron menu whose items call back with their action; the status line is not clickable', () => {
    const chosen: string[] = [];
    const menu = electronTrayMenu(trayMenuTemplate(node({ state: 'serving' }), en), (a) => chosen.push(a));
    expect(menu[0]).toEqual({ label: 'This computer’s node: serving', enabled: false });
    expect(menu[1]).toEqual({ type: 'separator' });
    for (const item of menu) (item.click as (() => void) | undefined)?.();
    expect(chosen).toEqual(['open', 'stop-serving', 'quit']);
  });
});

describe('the tray in the user’s language', () => {
  it('speaks German and Spanish, every node state included', () => {
    expect(labels(trayMenuTemplate(node({ state: 'serving', inFlight: 2 }), de))).toEqual([
      'Knoten dieses Computers: bedient Anfragen (2 Antworten laufen)',
      '—',
      'token.place öffnen',
      'Bedienen beenden',
      '—',
      'token.place beenden',
    ]);
    expect(trayTooltip(node({ state: 'stopped' }), es)).toBe('token.place — nodo detenido');
    expect(trayTooltip(undefined, de)).toBe('token.place — Knoten die App startet…');
    expect(labels(trayMenuTemplate(node({ state: 'stopped' }), es))).toContain('Empezar a atender');
    for (const words of [de, es]) {
      for (const state of LocalNodeStateSchema.options) {
        const line = labels(trayMenuTemplate(node({ state }), words))[0]!;
        expect(line, state).not.toBe(labels(trayMenuTemplate(node({ state }), en))[0]);
        expect(line, state).not.toMatch(/\{\{|undefined/);
      }
    }
  });

  it('follows a change of language at once, while the icon is shown', async () => {
    const { AppTray } = await import('./tray');
    const built: { label?: string }[][] = [];
    const tips: string[] = [];
    const fakeTray = { on: () => undefined, setToolTip: (t: string) => tips.push(t), setContextMenu: () => undefined, destroy: () => undefined };
    const tray = new AppTray({
      Tray: function () {
        return fakeTray;
      } as never,
      Menu: { buildFromTemplate: ((items: { label?: string }[]) => built.push(items)) as never },
      nativeImage: { createFromDataURL: () => ({ setTemplateImage: () => undefined }) as never },
      platform: 'linux',
      act: () => undefined,
    });
    tray.setEnabled(true);
    tray.setStatus(node({ state: 'serving' }));
    expect(built.at(-1)![2]!.label).toBe('Open token.place');
    tray.setWords(de);
    expect(built.at(-1)![2]!.label).toBe('token.place öffnen');
    expect(tips.at(-1)).toBe('token.place — Knoten bedient Anfragen');
  });
});

describe('closing the window', () => {
  it('hides it while the tray is on, closes it when the app quits or without the tray', () => {
    expect(closeAction({ trayEnabled: true, quitting: false })).toBe('hide');
    expect(closeAction({ trayEnabled: true, quitting: true })).toBe('close');
    expect(closeAction({ trayEnabled: false, quitting: false })).toBe('close');
  });

  it('quits after the last window only off macOS and without the tray', () => {
    expect(quitWhenAllWindowsClosed('linux', false)).toBe(true);
    expect(quitWhenAllWindowsClosed('win32', false)).toBe(true);
    expect(quitWhenAllWindowsClosed('linux', true)).toBe(false);
    expect(quitWhenAllWindowsClosed('darwin', false)).toBe(false);
  });
});

describe('answer notifications', () => {
  const message = { id: 'a1', role: 'assistant' as const, content: 'the answer', createdAt: 1, status: 'complete' as const };
  const answer: ChatEvent = { type: 'answer', conversationId: 'c1', message };
  const on = { notifyOnAnswer: true, windowFocused: false, supported: true };

  it('notifies of a finished answer while the window is not focused, when switched on and supported', () => {
    expect(answerToNotify(answer, on)).toBe('c1');
    expect(answerToNotify(answer, { ...on, notifyOnAnswer: false })).toBeUndefined();
    expect(answerToNotify(answer, { ...on, windowFocused: true })).toBeUndefined();
    expect(answerToNotify(answer, { ...on, supported: false })).toBeUndefined();
  });

  it('not for errors, stops, deltas or status updates', () => {
    const others: ChatEvent[] = [
      { type: 'error', conversationId: 'c1', message: { ...message, status: 'error' } },
      { type: 'stopped', conversationId: 'c1', message: { ...message, status: 'stopped' } },
      { type: 'delta', conversationId: 'c1', answerId: 'a1', text: 'x', snapshot: false, elapsedMs: 1 },
      { type: 'status', conversationId: 'c1', answerId: 'a1', phase: 'generating', elapsedMs: 1 },
    ];
    for (const e of others) expect(answerToNotify(e, on), e.type).toBeUndefined();
  });

  it('names the chat by when it was started (today, or its date), never by its text', () => {
    const now = new Date(2026, 11, 2, 9, 30).getTime();
    const today = answerNotificationText(new Date(2026, 11, 2, 8, 5).getTime(), now, en, 'en-GB');
    expect(today).toEqual({ title: 'Answer ready', body: 'The chat you started today at 08:05 has a new answer. Click to open it.' });
    const earlier = answerNotificationText(new Date(2026, 10, 28, 17, 40).getTime(), now, en, 'en-GB');
    expect(earlier.body).toBe('The chat you started on 28 Nov at 17:40 has a new answer. Click to open it.');
    expect(answerNotificationText(undefined, now, en).body).toBe('A chat has a new answer. Click to open it.');
  });

  it('speaks the user’s language, with dates in its locale', () => {
    const now = new Date(2026, 11, 2, 9, 30).getTime();
    expect(answerNotificationText(new Date(2026, 11, 2, 8, 5).getTime(), now, de, 'de')).toEqual({
      title: 'Antwort bereit',
      body: 'Der Chat, den du heute um 08:05 begonnen hast, hat eine neue Antwort. Zum Öffnen klicken.',
    });
    const earlier = answerNotificationText(new Date(2026, 10, 28, 17, 40).getTime(), now, es, 'es');
    expect(earlier.title).toBe('Respuesta lista');
    expect(earlier.body).toMatch(/^El chat que empezaste el 28 nov\.? a las 17:40 tiene una respuesta nueva\. Haz clic para abrirlo\.$/);
  });
});
