// The interactive `tokenplace-chat` against our relay + a node whose test provider streams slowly:
// the conversation is sent whole each turn, Ctrl-C (the key, through readline) stops an answer
// mid-stream keeping what was printed, and Ctrl-D, /exit and Ctrl-C at an empty prompt leave. The
// terminal is a pair of streams with isTTY set, so no pseudo-terminal is needed.
import { PassThrough } from 'node:stream';
import { stripVTControlCharacters } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeterministicTestProvider, type ModelProvider } from '../node';
import type { RunningRelay } from '../relay';
import { parseCliArgs, type CliOptions } from './cli-args';
import { INTERACTIVE_HELP, PROMPT, STOPPED_MARK, runInteractiveChat } from './cli-interactive';
import { runCli } from './cli-run';
import { RelayClient } from './relay-client';
import { keyPairs, startStackNode, startStackRelay, waitFor, type StackNode } from '../../test-support/client/stack';

/** A prompt with this marker gets a long answer at 25 tokens/s (seconds to stop it in); others a quick one. */
const LONG = '[long]';
const quick = createDeterministicTestProvider({ tokenDelayMs: 2 });
const long = createDeterministicTestProvider({ tokensPerSecond: 25, answerTokens: 400 });
const provider: ModelProvider = {
  id: 'interactive-test',
  listModels: () => quick.listModels(),
  chat: (req, signal) => (req.messages.at(-1)!.content.includes(LONG) ? long : quick).chat(req, signal),
};
/** The messages each provider call got. */
const sent: { role: string; content: string }[][] = [];

let relay: RunningRelay;
let node: StackNode;

beforeAll(async () => {
  const [pair] = await keyPairs(1);
  relay = await startStackRelay();
  node = await startStackNode(relay.url, pair!, {
    provider: {
      ...provider,
      chat: (req, signal) => {
        sent.push(req.messages.map((m) => ({ role: m.role, content: m.content })));
        return provider.chat(req, signal);
      },
    },
  });
  await waitFor(async () => ((await (await fetch(`${relay.url}/healthz`)).json()) as { knownServers: number }).knownServers === 1);
});

afterAll(async () => {
  await node.node.stop();
  await relay.close();
});

function options(argv: string[] = []): CliOptions {
  const parsed = parseCliArgs(['--server', relay.url, ...argv], {});
  if (parsed.kind !== 'run') throw new Error(parsed.kind);
  return parsed.options;
}

/** A terminal session: keys typed into `input`, everything written to the screen in `screen()`. */
function session(opts: CliOptions) {
  const input = new PassThrough();
  const output = new PassThrough();
  let screen = '';
  let stderr = '';
  output.on('data', (d: Buffer) => (screen += d.toString()));
  const exit = runInteractiveChat(new RelayClient({ baseUrl: opts.server }), opts, {
    input,
    output,
    stderr: { write: (s: string) => (stderr += s) },
    isTTY: true,
  });
  const prompts = () => screen.split(PROMPT).length - 1;
  return {
    exit,
    screen: () => screen,
    stderr: () => stderr,
    prompts,
    type: (keys: string) => input.write(keys),
    /** Types a line and waits until the next prompt is shown. */
    async say(line: string) {
      const before = prompts();
      input.write(`${line}\r`);
      await waitFor(() => prompts() > before, 10_000);
    },
  };
}

describe('interactive tokenplace-chat', () => {
  it('keeps the conversation: the second turn sends the first one with it; /new forgets it; /exit leaves', async () => {
    const calls = sent.length;
    const chat = session(options(['--system', 'be brief']));
    await waitFor(() => chat.prompts() === 1);
    expect(chat.screen()).toContain(`chatting through ${relay.url}, end-to-end encrypted`);
    await chat.say('first question');
    expect(chat.screen()).toContain('Test answer (2 messages) to: first question\n');
    await chat.say('second question');
    expect(chat.screen()).toContain('Test answer (4 messages) to: second question\n');
    expect(sent[calls + 1]).toEqual([
      { role: 'system', content: 'be brief' },
      { role: 'user', content: 'first question' },
      { role: 'assistant', content: 'Test answer (2 messages) to: first question' },
      { role: 'user', content: 'second question' },
    ]);
    await chat.say('/help');
    expect(chat.screen()).toContain(INTERACTIVE_HELP);
    await chat.say('/new');
    await chat.say('third question');
    expect(chat.screen()).toContain('Test answer (2 messages) to: third question\n');
    await chat.say('/nope');
    expect(chat.screen()).toContain('Unknown command /nope; /help lists the commands.');
    chat.type('/exit\r');
    expect(await chat.exit).toBe(0);
    expect(chat.stderr()).toBe('');
  });

  it('Ctrl-C during an answer stops it at the relay, keeps the part printed, marked stopped; the chat goes on', async () => {
    const chat = session(options());
    await waitFor(() => chat.prompts() === 1);
    const abortedBefore = long.stats.aborted;
    chat.type(`tell me everything ${LONG}\r`);
    // wait until part of the answer is on the screen, then press Ctrl-C
    await waitFor(() => /Test answer \(1 messages\) to: tell me everything \[long\] Test/.test(chat.screen()), 15_000);
    chat.type('\x03');
    await waitFor(() => chat.prompts() === 2, 10_000);
    const screen = chat.screen();
    const partial = /you> tell me everything \[long\]\r?\n([\s\S]*)\n\[stopped\]\n/.exec(stripVTControlCharacters(screen));
    expect(partial, screen).not.toBeNull();
    expect(partial![1]!.length).toBeGreaterThan(0);
    // the whole answer (400 tokens) never arrived
    expect(partial![1]!.split(' ').length).toBeLessThan(400);
    expect(screen).toContain(`\n${STOPPED_MARK}\n`);
    await waitFor(() => long.stats.aborted > abortedBefore, 10_000); // the node's provider call was cancelled
    // the partial answer stays part of the conversation
    const calls = sent.length;
    await chat.say('and then?');
    expect(chat.screen()).toContain('Test answer (3 messages) to: and then?\n');
    expect(sent[calls]![1]).toEqual({ role: 'assistant', content: partial![1]!.replace(/\r/g, '') });
    // Ctrl-D leaves
    chat.type('\x04');
    expect(await chat.exit).toBe(0);
  });

  it('Ctrl-C on a typed line drops it; Ctrl-C at an empty prompt leaves', async () => {
    const chat = session(options());
    await waitFor(() => chat.prompts() === 1);
    const calls = sent.length;
    chat.type('never sent');
    chat.type('\x03');
    await waitFor(() => chat.screen().includes('^C\n'));
    // the line is empty again, so this one leaves
    chat.type('\x03');
    expect(await chat.exit).toBe(0);
    expect(sent.length).toBe(calls);
  });

  it('opens from runCli on a terminal with no prompt; --json is refused there; piped stdin stays one prompt', async () => {
    const stdin = Object.assign(new PassThrough(), { isTTY: true });
    const stdout = new PassThrough();
    let screen = '';
    stdout.on('data', (d: Buffer) => (screen += d.toString()));
    const exit = runCli({ argv: ['--server', relay.url], env: {}, stdin, stdout, stderr: { write: () => true } });
    await waitFor(() => screen.includes(PROMPT));
    stdin.write('\x04');
    expect(await exit).toBe(0);

    let stderr = '';
    const json = await runCli({ argv: ['--server', relay.url, '--json'], env: {}, stdin: Object.assign(new PassThrough(), { isTTY: true }), stdout: { write: () => true }, stderr: { write: (s: string) => (stderr += s) } });
    expect(json).toBe(2);
    expect(stderr).toBe('tokenplace-chat: --json needs a prompt (as an argument or on stdin); the interactive chat prints text\nRun tokenplace-chat --help for usage.\n');

    let out = '';
    const piped = new PassThrough();
    piped.end('from a pipe\n');
    const code = await runCli({ argv: ['--server', relay.url], env: {}, stdin: piped, stdout: { write: (s: string) => (out += s) }, stderr: { write: () => true } });
    expect(code).toBe(0);
    expect(out).toBe('Test answer (1 messages) to: from a pipe\n');
  });
});
