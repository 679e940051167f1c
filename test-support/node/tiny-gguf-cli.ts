// Writes the tiny random-weight GGUF test model (see test-support/node/tiny-gguf.ts).
// Usage: npm run -s fixture:tiny-gguf -- OUT.gguf [--seed N] [--context-length N]
import { writeTinyGguf } from './tiny-gguf';

const USAGE = 'Usage: npm run -s fixture:tiny-gguf -- OUT.gguf [--seed N] [--context-length N]';

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

function numberFlag(args: string[], name: string): number | undefined {
  const at = args.indexOf(name);
  if (at < 0) return undefined;
  const value = Number(args[at + 1]);
  if (!Number.isInteger(value) || value < 0) fail(`${name} needs a whole number (got "${args[at + 1] ?? ''}").`);
  args.splice(at, 2);
  return value;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const seed = numberFlag(args, '--seed');
  const contextLength = numberFlag(args, '--context-length');
  if (contextLength === 0) fail('--context-length must be at least 1.');
  const unknown = args.find((a) => a.startsWith('--'));
  if (unknown) fail(`Unknown option ${unknown}.`);
  if (args.length !== 1) fail('Name one output file.');
  const info = await writeTinyGguf(args[0]!, { seed, contextLength });
  process.stdout.write(`${info.path}: ${info.sizeBytes} bytes, vocabulary ${info.vocabSize} tokens (${info.mergeCount} merges), context ${info.contextLength}\n`);
}

main().catch((err: unknown) => fail(`Could not write the file: ${err instanceof Error ? err.message : String(err)}`));
