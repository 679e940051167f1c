// Child process for the crash test (conversation-store.crash.test.ts): rewrites a few
// conversations in a loop with ever longer, deterministic histories and prints "<id> <count>"
// after each write completes, until it is killed with SIGKILL.
import { ConversationStore } from '../../src-main/storage/conversation-store';
import { ConversationNotFoundError } from '../../src-main/storage/errors';
import { expectedConversation } from './crash-shape';

async function main(): Promise<void> {
  const [dir, keyHex, idList] = process.argv.slice(2);
  if (!dir || !keyHex || !idList) throw new Error('usage: crash-writer <dir> <keyHex> <id,id,...>');
  const store = await ConversationStore.open(dir, Buffer.from(keyHex, 'hex'), { indexFlushMs: 5 });
  const ids = idList.split(',');
  const counts = new Map<string, number>();
  for (const id of ids) {
    try {
      counts.set(id, (await store.get(id)).messages.length);
    } catch (error) {
      if (!(error instanceof ConversationNotFoundError)) throw error;
      counts.set(id, 0);
    }
  }
  process.stdout.write('ready\n');
  for (let round = 0; ; round++) {
    const id = ids[round % ids.length] as string;
    const count = (counts.get(id) ?? 0) + 1;
    await store.put(expectedConversation(id, count));
    counts.set(id, count);
    process.stdout.write(`${id} ${count}\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
