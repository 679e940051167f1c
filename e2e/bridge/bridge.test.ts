// Drives the test bridge over loopback HTTP exactly as the browser does: through the shim's
// window.tokenplace (run in a VM context with fetch and a small fetch-based EventSource).
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventChannels, invokeChannels, splitChannel, type ChatEvent, type Conversation } from '../../src-shared/ipc/contract';
import { startBridge, type Bridge } from '../../test-support/bridge';

const ORIGIN = 'http://127.0.0.1:4999';

/** Just enough of EventSource for the shim: onmessage with `data` of each SSE frame. */
class FetchEventSource {
  onmessage: ((e: { data: string }) => void) | null = null;
  private readonly controller = new AbortController();
  static instances: FetchEventSource[] = [];
  constructor(url: string) {
    FetchEventSource.instances.push(this);
    void this.run(url);
  }
  private async run(url: string): Promise<void> {
    try {
      const res = await fetch(url, { headers: { origin: ORIGIN }, signal: this.controller.signal });
      const decoder = new TextDecoder();
      let buffer = '';
      for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = frame
            .split('\n')
            .filter((l) => l.startsWith('data: '))
            .map((l) => l.slice(6))
            .join('\n');
          if (data) this.onmessage?.({ data });
        }
      }
    } catch {
      // closed
    }
  }
  close(): void {
    this.controller.abort();
  }
}

type Api = Record<string, Record<string, (req?: unknown) => Promise<unknown>>> & {
  events: Record<string, (listener: (payload: unknown) => void) => () => void>;
};

function loadShim(script: string): Api {
  const window: Record<string, unknown> = {};
  const originFetch: typeof fetch = (input, init) => fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), origin: ORIGIN } });
  runInNewContext(script, { window, fetch: originFetch, EventSource: FetchEventSource, console, encodeURIComponent, JSON, Object, Map, Set, String, TypeError });
  return window.tokenplace as Api;
}

describe('test bridge', () => {
  let bridge: Bridge;
  let api: Api;

  beforeAll(async () => {
    bridge = await startBridge({ allowedOrigin: ORIGIN, provider: { tokenDelayMs: 1 } });
    api = loadShim(bridge.shimScript);
  });
  afterAll(async () => {
    for (const s of FetchEventSource.instances) s.close();
    await bridge?.close();
  });

  it('exposes exactly the contract channels as namespaced methods and event topics', () => {
    const expected: Record<string, string[]> = {};
    for (const channel of Object.keys(invokeChannels)) {
      const { namespace, method } = splitChannel(channel);
      (expected[namespace] ??= []).push(method);
    }
    const { events, ...namespaces } = api;
    expect(Object.fromEntries(Object.entries(namespaces).map(([ns, methods]) => [ns, Object.keys(methods)]))).toEqual(expected);
    expect(Object.keys(events)).toEqual(Object.keys(eventChannels).map((c) => c.slice('events:'.length)));
    expect(Object.isFrozen(api)).toBe(true);
  });

  it('runs a full chat through the shim: send, status events, answer, stored history', async () => {
    const chatEvents: ChatEvent[] = [];
    const unsubscribe = api.events.chat!((e) => chatEvents.push(e as ChatEvent));
    await expect.poll(() => FetchEventSource.instances.length).toBe(1);
    await new Promise((r) => setTimeout(r, 100)); // let the SSE stream connect

    expect(await api.app!.info!({})).toMatchObject({ secretStorage: 'passphrase', firstRun: true });
    expect(await api.node!.status!({})).toMatchObject({ state: 'serving' });
    const conversation = (await api.conversations!.create!({})) as Conversation;
    const sent = (await api.chat!.send!({ conversationId: conversation.id, content: 'Hello through the bridge' })) as { answerId: string };
    await expect.poll(() => chatEvents.find((e) => e.type === 'answer' && e.message.id === sent.answerId), { timeout: 10_000 }).toBeTruthy();
    const answer = chatEvents.find((e) => e.type === 'answer') as Extract<ChatEvent, { type: 'answer' }>;
    expect(answer.message.content).toBe('Test answer (1 messages) to: Hello through the bridge');
    expect(answer.message.meta?.encryption.symmetric).toMatch(/^AES-256-/);
    expect(chatEvents.some((e) => e.type === 'status' && e.phase === 'finding_node')).toBe(true);

    const stored = (await api.conversations!.get!({ id: conversation.id })) as Conversation;
    expect(stored.messages.map((m) => m.content)).toEqual(['Hello through the bridge', answer.message.content]);
    unsubscribe();
    const count = chatEvents.length;
    const again = (await api.chat!.regenerate!({ conversationId: conversation.id })) as { answerId: string };
    await expect.poll(async () => ((await api.conversations!.get!({ id: conversation.id })) as Conversation).messages.at(-1)?.status).toBe('complete');
    expect(again.answerId).toBeTruthy();
    expect(chatEvents).toHaveLength(count);
  });

  it('rejects like the preload: a plain { code, message } object', async () => {
    await expect(api.conversations!.get!({ id: 'nope' })).rejects.toEqual({ code: 'not_found', message: 'That conversation does not exist.' });
    await expect(api.conversations!.rename!({ id: 'x', title: '' })).rejects.toMatchObject({ code: 'bad_request' });
  });

  it('guards the loopback server: token, origin, host', async () => {
    const invoke = (headers: Record<string, string>) =>
      fetch(`${bridge.url}/invoke/app:info`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{}' });
    expect((await invoke({})).status).toBe(401);
    expect((await invoke({ authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await invoke({ authorization: `Bearer ${bridge.token}`, origin: 'http://evil.example' })).status).toBe(403);
    const ok = await invoke({ authorization: `Bearer ${bridge.token}`, origin: ORIGIN });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    const preflight = await fetch(`${bridge.url}/invoke/app:info`, {
      method: 'OPTIONS',
      headers: { origin: ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, authorization' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('authorization');
    expect((await fetch(`${bridge.url}/events?token=wrong`)).status).toBe(401);
    // Node-side callers (specs) send no Origin at all; the token is enough.
    const noOrigin = await invoke({ authorization: `Bearer ${bridge.token}` });
    expect(await noOrigin.json()).toMatchObject({ ok: true });
    const bad = await fetch(`${bridge.url}/invoke/evil:channel`, { method: 'POST', headers: { authorization: `Bearer ${bridge.token}`, 'content-type': 'application/json' }, body: '{}' });
    expect(await bad.json()).toEqual({ ok: false, error: { code: 'bad_request', message: 'Unknown channel: evil:channel' } });
  });
});
