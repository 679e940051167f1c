// `tokenplace-chat` prints a streamed answer as its authenticated pieces arrive (§11.7), waits for
// the whole answer with --no-stream or --json, and keeps what was printed when a stream breaks.
import { Readable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RsaKeyPair } from '../crypto';
import { runCli } from './cli-run';
import { FakeStreamRelay, type StreamScript } from '../../test-support/client/fake-stream-relay';
import { keyPairs } from '../../test-support/client/stack';

const DELTAS = ['Streamed ', 'to the ', 'terminal.'];
let node: RsaKeyPair;

beforeAll(async () => {
  [node] = (await keyPairs(1)) as [RsaKeyPair];
});

async function chat(argv: string[], script: StreamScript) {
  const relay = new FakeStreamRelay(node, script);
  const writes: string[] = [];
  let stderr = '';
  const code = await runCli({
    argv: ['--server', 'http://relay.test', ...argv, 'hi'],
    env: {},
    stdin: Readable.from([]),
    stdout: { write: (s: string) => writes.push(s) },
    stderr: { write: (s: string) => (stderr += s) },
    fetch: relay.fetch,
  });
  return { code, writes, stdout: writes.join(''), stderr };
}

describe('tokenplace-chat streaming', () => {
  it('prints each piece as it arrives, then ends the line', async () => {
    const r = await chat([], { deltas: DELTAS, transport: 'chunks' });
    expect(r.code).toBe(0);
    expect(r.writes).toEqual([...DELTAS, '\n']);
  });

  it('prints snapshots by what each one adds (§11.6)', async () => {
    const r = await chat([], { deltas: DELTAS, transport: 'snapshots' });
    expect(r.code).toBe(0);
    expect(r.writes).toEqual([...DELTAS, '\n']);
  });

  it('--no-stream and --json wait for the whole answer', async () => {
    const plain = await chat(['--no-stream'], { deltas: DELTAS, transport: 'chunks' });
    expect(plain.writes).toEqual([`${DELTAS.join('')}\n`]);
    const json = await chat(['--json'], { deltas: DELTAS, transport: 'chunks' });
    expect(json.writes.length).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ content: DELTAS.join(''), delivery: 'chunks' });
  });

  it('a broken stream keeps what was printed, ends its line and says why on stderr', async () => {
    const r = await chat([], { deltas: DELTAS, transport: 'chunks', tamper: 'bitflip' });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(`${DELTAS[0]}\n`);
    expect(r.stderr).toMatch(/\[stream_not_authentic\]/);
  });
});
