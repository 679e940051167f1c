// §12 in a real browser: the built-in relay serves this app, not web pages. A page on another
// origin cannot read the local node's key or submit work to it, a DNS-rebinding page (another
// name resolving to 127.0.0.1, so same-origin with the relay) is refused by the Host rule, and
// the app itself keeps chatting through the same relay.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from '@playwright/test';
import { TEST_MODEL } from '../test-support/backend/real-backend';
import type { Bridge } from './bridge';
import { expect, lastAnswer, newChat, sendMessage, test } from './support/app';

/** A name Chromium resolves to 127.0.0.1, as a rebinding attacker's DNS would after the first lookup. */
const REBIND_NAME = 'rebind.attacker.test';

test.use({
  bridgeOptions: { provider: { tokenDelayMs: 2 } },
  launchOptions: async ({ launchOptions }, use) => {
    await use({ ...launchOptions, args: [...(launchOptions.args ?? []), `--host-resolver-rules=MAP ${REBIND_NAME} 127.0.0.1`] });
  },
});

let attacker: Server;
let attackerOrigin = '';

test.beforeAll(async () => {
  // Any other web origin on this machine: a blank page whose script then talks to the relay.
  attacker = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>elsewhere</title>'));
  await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
  attackerOrigin = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}`;
});
test.afterAll(async () => {
  await new Promise((resolve) => attacker.close(resolve));
});

/** What a same-origin script of `page` gets from `path`: status and body, or the browser's refusal. */
async function fetchFromPage(page: Page, path: string) {
  return page.evaluate(async (path) => {
    try {
      const res = await fetch(path);
      return { status: res.status, body: await res.text() };
    } catch (error) {
      return { refused: String(error) };
    }
  }, path);
}

/** The embedded relay's URL once the app's node serves through it. */
async function relayOf(bridge: Bridge): Promise<string> {
  const status = async () => (await bridge.backend.handle('relay:status', {})) as { url: string; nodeCount: number };
  await expect.poll(async () => (await status()).nodeCount, { timeout: 15_000 }).toBe(1);
  return (await status()).url;
}

/** The app, which holds the launch secret, chats through the very same relay. */
async function appStillChats(app: Page, relayUrl: string): Promise<void> {
  await newChat(app);
  await sendMessage(app, 'still mine?');
  await expect(lastAnswer(app)).toContainText('still mine?');
  await expect(lastAnswer(app).getByRole('list', { name: 'How this answer was delivered' })).toContainText(new URL(relayUrl).host);
}

test('a page on another origin can neither read the node key nor submit work; the app still chats', async ({ app, bridge, context }) => {
  const relayUrl = await relayOf(bridge);
  const page = await context.newPage();
  await page.goto(`${attackerOrigin}/`);
  // The attack of issue 11 §3: read the node's key from servers/next, then submit work encrypted
  // to it. Here the browser gets no CORS grant for either.
  const attack = await page.evaluate(async ({ relay, model }) => {
    const outcome = async (p: Promise<Response>) =>
      p.then(
        async (r) => ({ status: r.status, body: await r.text() }),
        (e: unknown) => ({ refused: String(e) }),
      );
    const next = await outcome(fetch(`${relay}/api/v1/relay/servers/next?model=${model}`));
    const key = 'body' in next ? ((JSON.parse(next.body) as { server_public_key?: string }).server_public_key ?? 'eA==') : 'eA==';
    const envelope = JSON.stringify({
      server_public_key: key,
      client_public_key: 'eA==',
      ciphertext: 'eA==',
      cipherkey: 'eA==',
      iv: 'eA==',
      request_id: 'from-a-web-page',
      protocol: 'tokenplace_api_v1_relay_e2ee',
      version: 1,
    });
    const submit = await outcome(fetch(`${relay}/api/v1/relay/requests`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: envelope }));
    // A no-cors "simple" request is sent without asking the relay first; its answer stays opaque.
    const simple = await fetch(`${relay}/api/v1/relay/requests`, { method: 'POST', mode: 'no-cors', body: envelope }).then((r) => r.type, String);
    return { next, submit, simple };
  }, { relay: relayUrl, model: TEST_MODEL });
  expect(attack).toEqual({
    next: { refused: expect.stringContaining('Failed to fetch') },
    submit: { refused: expect.stringContaining('Failed to fetch') },
    simple: 'opaque',
  });

  // The relay refused them all before any route ran: no submission was accepted.
  const metrics = await fetch(`${relayUrl}/metrics`, { headers: { 'x-tokenplace-launch-secret': bridge.hosts.relayHost.launchSecret } }).then((r) => r.text());
  const answered = (status: number) =>
    Number(new RegExp(`tokenplace_relay_http_requests_total\\{route="/api/v1/relay/requests",method="POST",status="${status}"\\}\\s+(\\d+)`).exec(metrics)?.[1] ?? 0);
  expect(answered(200)).toBe(0);
  expect(answered(401)).toBeGreaterThanOrEqual(1);

  await appStillChats(app, relayUrl);
});

test('a DNS-rebinding page, same-origin with the relay under another name, is refused by the Host rule; the app still chats', async ({ app, bridge, context }) => {
  const relayUrl = await relayOf(bridge);
  const page = await context.newPage();
  const landing = await page.goto(`http://${REBIND_NAME}:${new URL(relayUrl).port}/`);
  // Same origin now: the page could read whatever the relay answered.
  const refusal = JSON.stringify({ error: { message: 'Host not allowed: this relay serves only the app that started it', code: 'host_not_allowed' } });
  expect(await fetchFromPage(page, `/api/v1/relay/servers/next?model=${TEST_MODEL}`)).toEqual({ status: 403, body: refusal });
  expect(landing?.status()).toBe(403);
  await appStillChats(app, relayUrl);
});
