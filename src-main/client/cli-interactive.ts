// `tokenplace-chat` on a terminal with no prompt: an interactive chat. The conversation is kept for
// the session and sent whole each turn (each turn end-to-end encrypted like a single prompt);
// answers stream as they arrive. Ctrl-C during an answer stops it (cancelled at the relay, the part
// printed stays, marked stopped); Ctrl-C at an empty prompt, Ctrl-D or /exit leaves. The streams
// are injected so tests drive it without a pseudo-terminal.
import { createInterface } from 'node:readline';
import type { CliOptions } from './cli-args';
import { endPartialLine, restOfAnswer, sendTurn } from './cli-turn';
import { isChatError } from './errors';
import type { RelayClient } from './relay-client';
import type { ChatMessage, ChatStatus } from './types';

export interface InteractiveIo {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  stderr: { write(s: string): unknown };
  /** Whether input and output are a terminal (readline's line editing and Ctrl-C / Ctrl-D keys). */
  isTTY: boolean;
  /** The process was told to stop (a signal): the answer under way is stopped and the chat left. */
  signal?: AbortSignal;
  onStatus?: (s: ChatStatus) => void;
}

export const PROMPT = 'you> ';
export const STOPPED_MARK = '[stopped]';

const COMMANDS: readonly [string, string][] = [
  ['/new', 'start a new conversation (forget the turns so far)'],
  ['/exit', 'leave (also Ctrl-D, or Ctrl-C at an empty prompt)'],
  ['/help', 'show these commands'],
];
export const INTERACTIVE_HELP = [
  'Commands:',
  ...COMMANDS.map(([name, what]) => `  ${name.padEnd(7)}${what}`),
  'Ctrl-C while an answer is arriving stops it.',
].join('\n');

export function runInteractiveChat(client: RelayClient, opts: CliOptions, io: InteractiveIo): Promise<number> {
  const start: ChatMessage[] = opts.system ? [{ role: 'system', content: opts.system }] : [];
  let history = [...start];
  /** The answer under way. */
  let turn: AbortController | undefined;
  let closing = false;
  const rl = createInterface({ input: io.input, output: io.output, terminal: io.isTTY, prompt: PROMPT });
  const say = (text: string) => io.output.write(`${text}\n`);

  return new Promise<number>((resolve) => {
    let done = false;
    const leave = () => {
      if (done) return;
      done = true;
      io.signal?.removeEventListener('abort', onStopSignal);
      rl.close();
      resolve(0);
    };
    const onStopSignal = () => {
      closing = true;
      if (turn) turn.abort();
      else leave();
    };
    io.signal?.addEventListener('abort', onStopSignal, { once: true });

    async function ask(text: string): Promise<void> {
      history.push({ role: 'user', content: text });
      const controller = (turn = new AbortController());
      const outcome = await sendTurn(client, opts, history, { stdout: io.output, signal: controller.signal, onStatus: io.onStatus });
      turn = undefined;
      if (outcome.kind === 'answer') {
        io.output.write(`${restOfAnswer(outcome.answer.content, outcome.shown)}\n`);
        history.push({ role: 'assistant', content: outcome.answer.content });
      } else {
        endPartialLine(io.output, outcome.shown);
        const err = outcome.error;
        if (controller.signal.aborted) say(STOPPED_MARK);
        else if (isChatError(err)) io.stderr.write(`tokenplace-chat: ${err.userMessage} [${err.code}]\n`);
        else io.stderr.write(`tokenplace-chat: unexpected failure: ${(err as Error)?.message ?? String(err)}\n`);
        // What was shown stays part of the conversation; a turn that showed nothing is dropped.
        if (outcome.shown) history.push({ role: 'assistant', content: outcome.shown });
        else history.pop();
      }
      if (closing) leave();
      else rl.prompt();
    }

    rl.on('line', (line) => {
      if (turn || done) return; // typed while an answer arrives: not a prompt
      const text = line.trim();
      if (text === '/exit' || text === '/quit') return leave();
      if (text === '/help') {
        say(INTERACTIVE_HELP);
      } else if (text === '/new') {
        history = [...start];
        say('(new conversation)');
      } else if (text.startsWith('/')) {
        say(`Unknown command ${text.split(/\s/)[0]}; /help lists the commands.`);
      } else if (text) {
        void ask(line);
        return;
      }
      rl.prompt();
    });
    rl.on('SIGINT', () => {
      if (turn) return turn.abort(); // stop the answer, back to the prompt
      if (rl.line) {
        // Ctrl-C on a typed line drops the line, as a shell does
        io.output.write('^C\n');
        rl.write(null, { ctrl: true, name: 'e' });
        rl.write(null, { ctrl: true, name: 'u' });
        return rl.prompt();
      }
      io.output.write('\n');
      leave();
    });
    rl.on('close', () => {
      // Ctrl-D (or the end of input): leave, after stopping an answer under way
      closing = true;
      if (turn) turn.abort();
      else leave();
    });

    say(`tokenplace-chat: chatting through ${opts.server}, end-to-end encrypted. /help lists commands; Ctrl-D or /exit leaves.`);
    rl.prompt();
  });
}
