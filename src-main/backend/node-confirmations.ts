// trust:* — questions about node keys (docs/client.md "Node keys and trust"). When a server with
// policy `ask` offers a key not trusted there, the ChatService waits here before encrypting
// anything to it: the question goes to the window (`events:trust`), and the prompt is sent or not
// once the user answers (`trust:answer`). A request stopped meanwhile takes its question back.
import type { NodeConfirmation, TrustEvent } from '../../src-shared/ipc/contract';
import type { NodeConfirmationDecision } from '../../src-shared/vocabulary';
import { ChatCancelledError, type ConfirmNode } from '../client';
import { newId } from '../storage';
import { ConfirmationSettledError } from './errors';

interface Waiting {
  confirmation: NodeConfirmation;
  settle(decision: NodeConfirmationDecision | Error): void;
}

export class NodeConfirmations {
  private readonly waiting = new Map<string, Waiting>();

  constructor(
    private readonly emit: (event: TrustEvent) => void,
    private readonly now: () => number,
  ) {}

  /** The ChatService's confirmNode. */
  readonly ask: ConfirmNode = (request, signal) =>
    new Promise<NodeConfirmationDecision>((resolve, reject) => {
      if (signal?.aborted) return reject(stopReason(signal));
      const confirmation: NodeConfirmation = { id: newId(), ...request, askedAt: this.now() };
      const onAbort = () => this.settle(confirmation.id, stopReason(signal));
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.set(confirmation.id, {
        confirmation,
        settle: (decision) => {
          signal?.removeEventListener('abort', onAbort);
          if (decision instanceof Error) reject(decision);
          else resolve(decision);
        },
      });
      this.emit({ type: 'ask', confirmation });
    });

  /** Questions still waiting, oldest first. */
  pending(): NodeConfirmation[] {
    return [...this.waiting.values()].map((w) => w.confirmation);
  }

  answer(id: string, decision: NodeConfirmationDecision): void {
    if (!this.waiting.has(id)) throw new ConfirmationSettledError();
    this.settle(id, decision);
  }

  /** App quit: every waiting request is stopped. */
  close(): void {
    for (const id of [...this.waiting.keys()]) this.settle(id, new ChatCancelledError());
  }

  private settle(id: string, decision: NodeConfirmationDecision | Error): void {
    const w = this.waiting.get(id);
    if (!w) return;
    this.waiting.delete(id);
    w.settle(decision);
    this.emit({ type: 'settled', id });
  }
}

/** What a stopped request rejects with: its own reason when that is a cancellation (server switch), else a stop. */
function stopReason(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  return reason instanceof ChatCancelledError ? reason : new ChatCancelledError();
}
