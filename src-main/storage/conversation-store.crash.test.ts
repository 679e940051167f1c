// THE crash test: a real child process rewrites conversations in a loop and is killed with
// SIGKILL mid-write, again and again. After every kill the store must open, every conversation
// must load intact, and each must hold at least the last write the child reported complete.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConversationStore } from './conversation-store';
import { expectedConversation } from '../../test-support/storage/crash-shape';

const KILLS = 20;
const IDS = ['alpha', 'beta', 'gamma'];
const WRITER = join(__dirname, '../../test-support/storage/crash-writer.ts');

interface RunResult {
  reported: Map<string, number>;
  writesSeen: number;
}

/** Starts the writer, lets it complete a random number of writes, then SIGKILLs it mid-loop. */
function runAndKill(dir: string, keyHex: string, writesBeforeKill: number, extraDelayMs: number): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WRITER, dir, keyHex, IDS.join(',')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const reported = new Map<string, number>();
    let writesSeen = 0;
    let buffer = '';
    let stderr = '';
    let killScheduled = false;
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        const [id, count] = line.split(' ');
        if (id && count) {
          reported.set(id, Number(count));
          writesSeen++;
        }
      }
      if (!killScheduled && writesSeen >= writesBeforeKill) {
        killScheduled = true;
        setTimeout(() => child.kill('SIGKILL'), extraDelayMs);
      }
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve({ reported, writesSeen });
      else reject(new Error(`writer exited on its own (code ${code}): ${stderr}`));
    });
  });
}

describe('conversation store survives kill -9 mid-write', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  it(`loads every conversation intact after ${KILLS} SIGKILLs`, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tp-crash-'));
    dirs.push(dir);
    const key = randomBytes(32);
    const lastReported = new Map<string, number>();
    let totalWrites = 0;
    let killedMidWrite = 0;

    for (let kill = 0; kill < KILLS; kill++) {
      const { reported, writesSeen } = await runAndKill(dir, key.toString('hex'), 1 + (kill % 7), kill % 4);
      totalWrites += writesSeen;
      for (const [id, count] of reported) lastReported.set(id, count);
      const tempFiles = (await readdir(join(dir, 'conversations'))).filter((n) => n.includes('.tmp-'));
      if (tempFiles.length > 0) killedMidWrite++;

      const store = await ConversationStore.open(dir, key);
      expect(store.damaged()).toEqual([]);
      const listed = new Map(store.list().map((s) => [s.id, s]));
      for (const [id, minimum] of lastReported) {
        const conversation = await store.get(id);
        // Last complete write wins: never older than what the child reported, and exactly one
        // of the shapes it wrote (at most one write newer if the kill landed after the rename).
        expect(conversation.messages.length).toBeGreaterThanOrEqual(minimum);
        expect(conversation.messages.length).toBeLessThanOrEqual(minimum + 1);
        expect(conversation).toEqual(expectedConversation(id, conversation.messages.length));
        expect(listed.get(id)?.messageCount).toBe(conversation.messages.length);
        lastReported.set(id, conversation.messages.length);
      }
      await store.close();
      const leftovers = (await readdir(join(dir, 'conversations'))).filter((n) => n.includes('.tmp-'));
      expect(leftovers).toEqual([]);
    }
    expect(totalWrites).toBeGreaterThanOrEqual(KILLS);
    // The kills really landed inside writes (a temp file was left behind), not only between them.
    console.info(`crash test: ${killedMidWrite}/${KILLS} kills left a half-written temp file`);
    expect(killedMidWrite).toBeGreaterThan(0);
  }, 120_000);
});
