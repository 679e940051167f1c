// Storage benchmark: 10 000 conversations in the encrypted store, and unlocking the passphrase store.
// Usage: tsx bench/storage.ts [--count N] [--json]
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Conversation } from '../src-shared/ipc/contract';
import { ConversationStore, DEFAULT_SCRYPT_COST, openPassphraseSecretStore } from '../src-main/storage';

function arg(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

const count = arg('--count', 10_000);
const json = process.argv.includes('--json');
const MESSAGES = 8;

function conversation(i: number): Conversation {
  return {
    id: `c${i}`,
    title: `Conversation ${i}`,
    createdAt: i,
    updatedAt: i,
    messageCount: MESSAGES,
    systemPrompt: '',
    messages: Array.from({ length: MESSAGES }, (_, m) => ({
      id: `c${i}-m${m}`,
      role: m % 2 ? ('assistant' as const) : ('user' as const),
      content: `Message ${m} of conversation ${i}. ${i === Math.floor(count / 2) && m === 3 ? 'A rare zebra appears. ' : ''}${'Lorem ipsum dolor sit amet. '.repeat(8)}`,
      createdAt: i + m,
      status: 'complete' as const,
    })),
  };
}

async function time<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const value = await fn();
  return [value, performance.now() - start];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

/** Unlocking the passphrase store: today's cost, the old 2^15, and the one-time re-seal of an old store. */
async function passphraseUnlock(dir: string): Promise<{ unlockMs: number; unlockOldCostMs: number; migrateMs: number }> {
  const passphrase = 'benchmark passphrase of four words';
  const oldCost = { N: 2 ** 15, r: 8, p: 1 };
  const current = join(dir, 'secrets-current.json');
  const old = join(dir, 'secrets-old.json');
  await (await openPassphraseSecretStore(current, passphrase)).set('k', 'v');
  await (await openPassphraseSecretStore(old, passphrase, { cost: oldCost })).set('k', 'v');
  const unlock: number[] = [];
  const unlockOld: number[] = [];
  for (let i = 0; i < 3; i++) {
    unlock.push((await time(() => openPassphraseSecretStore(current, passphrase)))[1]);
    unlockOld.push((await time(() => openPassphraseSecretStore(old, passphrase, { cost: oldCost })))[1]);
  }
  const [, migrateMs] = await time(() => openPassphraseSecretStore(old, passphrase, { cost: DEFAULT_SCRYPT_COST }));
  const resealed = JSON.parse(await readFile(old, 'utf8')) as { kdf?: { N?: number } };
  if (resealed.kdf?.N !== DEFAULT_SCRYPT_COST.N) throw new Error('benchmark data check failed: the old store was not re-sealed');
  return { unlockMs: median(unlock), unlockOldCostMs: median(unlockOld), migrateMs };
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'tp-bench-storage-'));
  const key = randomBytes(32);
  try {
    const [, fillMs] = await time(async () => {
      const store = await ConversationStore.open(dir, key, { durable: false });
      for (let start = 0; start < count; start += 256) {
        await Promise.all(Array.from({ length: Math.min(256, count - start) }, (_, j) => store.put(conversation(start + j))));
      }
      await store.close();
    });
    const [store, openMs] = await time(() => ConversationStore.open(dir, key));
    const [list, listMs] = await time(async () => store.list());
    const [coldHits, searchColdMs] = await time(() => store.search('zebra'));
    const [, searchWarmMs] = await time(() => store.search('zebra'));
    const [, searchMissMs] = await time(() => store.search('no such words anywhere'));
    const opens: number[] = [];
    for (let i = 0; i < 200; i++) opens.push((await time(() => store.get(`c${(i * 7919) % count}`)))[1]);
    const durableWrites: number[] = [];
    for (let i = 0; i < 50; i++) durableWrites.push((await time(() => store.put(conversation(i))))[1]);
    await store.close();
    const [, reopenMs] = await time(async () => (await ConversationStore.open(dir, key)).close());
    const unlock = await passphraseUnlock(await mkdtemp(join(dir, 'passphrase-')));

    if (list.length !== count || coldHits.length !== 1) throw new Error('benchmark data check failed');
    const round = (x: number) => Math.round(x * 100) / 100;
    const result = {
      conversations: count,
      messagesPerConversation: MESSAGES,
      fillMs: round(fillMs),
      openMs: round(openMs),
      reopenWithIndexMs: round(reopenMs),
      listMs: round(listMs),
      searchFirstMs: round(searchColdMs),
      searchWarmMs: round(searchWarmMs),
      searchMissWarmMs: round(searchMissMs),
      openConversationMedianMs: round(median(opens)),
      durableWriteMedianMs: round(median(durableWrites)),
      /** scrypt N = 2^17, r = 8, p = 1 (DEFAULT_SCRYPT_COST) */
      passphraseUnlockMs: round(unlock.unlockMs),
      passphraseUnlockOldCost2p15Ms: round(unlock.unlockOldCostMs),
      passphraseMigrateFrom2p15Ms: round(unlock.migrateMs),
    };
    if (json) {
      process.stdout.write(`${JSON.stringify(result)}\n`);
    } else {
      console.table(Object.entries(result).map(([metric, value]) => ({ metric, value })));
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
