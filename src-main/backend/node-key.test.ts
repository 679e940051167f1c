// The app's node keeps its key across restarts of the node and of the app (issue 11 §4: the
// relay and clients' trust recognise it), the key is kept encrypted in the SecretStore, and it
// never reaches the renderer.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LAUNCH_SECRET_HEADER } from '../../src-shared/protocol/relay-http';
import { keyFingerprint, pemFromWireKey } from '../crypto';
import { startRealBackend, TEST_MODEL, type RealBackend } from '../../test-support/backend/real-backend';

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

async function serving(real: RealBackend): Promise<{ fingerprint: string; relayUrl: string }> {
  const end = Date.now() + 20_000;
  for (;;) {
    const status = (await real.backend.handle('node:status', {})) as { state: string; fingerprint?: string; relayUrl?: string };
    if (status.state === 'serving' && status.fingerprint && status.relayUrl) return { fingerprint: status.fingerprint, relayUrl: status.relayUrl };
    if (Date.now() > end) throw new Error(`the node is not serving: ${JSON.stringify(status)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The fingerprint of the key the embedded relay hands clients for the app's model (with this launch's secret, §12). */
async function relayKnows(real: RealBackend, relayUrl: string): Promise<string> {
  const res = await fetch(`${relayUrl}/api/v1/relay/servers/next?model=${TEST_MODEL}`, { headers: { [LAUNCH_SECRET_HEADER]: real.relayHost.launchSecret } });
  if (!res.ok) throw new Error(`servers/next answered ${res.status}: ${await res.text()}`);
  const body = (await res.json()) as { server_public_key: string };
  return keyFingerprint(pemFromWireKey(body.server_public_key));
}

describe("the app's node key", () => {
  it('survives a node restart and an app restart, and the relay sees the same node', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'tp-node-key-'));
    dirs.push(dataDir);
    const emitted: unknown[] = [];
    const first = await startRealBackend({ dataDir, onEvent: (channel, payload) => emitted.push({ channel, payload }) });
    const replies: unknown[] = [];
    let fingerprint: string;
    try {
      const started = await serving(first);
      fingerprint = started.fingerprint;
      expect(await relayKnows(first, started.relayUrl)).toBe(fingerprint);

      replies.push(await first.backend.handle('node:stop', {}));
      replies.push(await first.backend.handle('node:start', {}));
      const restarted = await serving(first);
      expect(restarted.fingerprint).toBe(fingerprint);
      expect(await relayKnows(first, restarted.relayUrl)).toBe(fingerprint);
      replies.push(await first.backend.handle('node:status', {}));
    } finally {
      await first.close();
    }

    const second = await startRealBackend({ dataDir, onEvent: (channel, payload) => emitted.push({ channel, payload }) });
    try {
      const again = await serving(second);
      expect(again.fingerprint).toBe(fingerprint);
      expect(await relayKnows(second, again.relayUrl)).toBe(fingerprint);
      replies.push(await second.backend.handle('node:status', {}));
    } finally {
      await second.close();
    }

    // Nothing the renderer gets (replies, events) holds the private key; on disk it is sealed.
    const rendererSaw = JSON.stringify([replies, emitted]);
    expect(rendererSaw).not.toMatch(/PRIVATE KEY/);
    for (const name of await readdir(dataDir, { recursive: true })) {
      const file = join(dataDir, name.toString());
      const text = await readFile(file, 'utf8').catch(() => '');
      expect(text, name.toString()).not.toMatch(/PRIVATE KEY|MIIEvQIBADANBgkqhkiG9w0BAQEF/); // PEM armour or PKCS#8 RSA DER in base64
    }
  }, 90_000);
});
