// One turn of `tokenplace-chat` (a prompt or an interactive line): the conversation so far sent
// end-to-end encrypted, the answer printed as its authenticated pieces arrive (§11.7) unless the
// options say to wait, and what was printed handed back with the outcome.
import { wireOptionsOf } from '../../src-shared/vocabulary/steer';
import type { CliOptions } from './cli-args';
import { textAfterDelta } from './delta-text';
import type { RelayClient } from './relay-client';
import type { ChatAnswer, ChatDelta, ChatMessage, ChatStatus } from './types';

export type TurnOutcome = { kind: 'answer'; answer: ChatAnswer; shown: string } | { kind: 'failed'; error: unknown; shown: string };

export interface TurnIo {
  stdout: { write(s: string): unknown };
  signal?: AbortSignal;
  onStatus?: (s: ChatStatus) => void;
}

export async function sendTurn(client: RelayClient, opts: CliOptions, messages: readonly ChatMessage[], io: TurnIo): Promise<TurnOutcome> {
  let shown = '';
  const onDelta = opts.stream
    ? (d: ChatDelta) => {
        const next = textAfterDelta(shown, d);
        shown = next.text;
        io.stdout.write(next.added);
      }
    : undefined;
  try {
    const answer = await client.chat({
      messages: [...messages],
      model: opts.model,
      contextTier: opts.contextTier,
      // The window's parameters and these flags become §2.3.1 options in one place.
      options: wireOptionsOf({
        ...(opts.maxTokens !== undefined && { maxTokens: opts.maxTokens }),
        ...(opts.temperature !== undefined && { temperature: opts.temperature }),
      }),
      timeoutMs: opts.timeoutMs,
      signal: io.signal,
      onStatus: io.onStatus,
      ...(onDelta && { onDelta }),
    });
    return { kind: 'answer', answer, shown };
  } catch (error) {
    return { kind: 'failed', error, shown };
  }
}

/** What the answer adds to the streamed text (snapshots may stop short of it, §11.6); all of it when it does not continue it. */
export function restOfAnswer(content: string, shown: string): string {
  if (!shown) return content;
  return content.startsWith(shown) ? content.slice(shown.length) : `\n${content}`;
}

/** Ends the line a partial streamed answer left open (before an error or a stop is reported). */
export function endPartialLine(stdout: TurnIo['stdout'], shown: string): void {
  if (shown && !shown.endsWith('\n')) stdout.write('\n');
}
