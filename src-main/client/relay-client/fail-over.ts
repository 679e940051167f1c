// §2.5 fail over: choose a node, try it, and on a failure another node may not have, try another
// — at most min(maxFailovers, live nodes − 1) times; an automatic-tier request whose 8k window was
// too small is retried once on 64k-full. A key the client cannot use, and a node the caller
// refuses (a pin, or the user's answer to "send to this new key?"), count as failed nodes. A relay
// whose matching queues are all full is waited on (wait-in-line.ts), not failed over; so is one
// that is away or knows no node yet, briefly, before the request is admitted (relay-away.ts).
import { DEFAULT_CONTEXT_TIER } from '../../../src-shared/protocol/constants';
import type { ContextTier } from '../../../src-shared/vocabulary';
import type { ChatError } from '../errors';
import type { ChatAnswer } from '../types';
import { attemptOnNode } from './attempt';
import type { CheckedChat } from './chat-request';
import type { ChatRun } from './chat-run';
import { chooseNode, type NodeChoice } from './choose-node';
import type { ClientContext } from './context';
import type { AttemptOutcome } from './outcome';
import { RelayAwayWait } from './relay-away';
import { capacityRetryMs, lineDeadline } from './wait-in-line';

export async function chatWithFailover(ctx: ClientContext, run: ChatRun, chat: CheckedChat): Promise<ChatAnswer> {
  const { req } = run;
  let tier: ContextTier = req.contextTier ?? DEFAULT_CONTEXT_TIER;
  let escalated = false;
  const failed = new Set<string>();
  let lastError: ChatError | undefined;
  // "live nodes" of the §2.5 failover bound: the most the relay reported during this request
  let maxLiveNodes = 0;
  const notReady = new RelayAwayWait(ctx.relay, ctx.settings);
  for (let attemptNo = 1; ; attemptNo++) {
    run.status({ type: 'finding_node', attempt: attemptNo, elapsedMs: run.elapsedMs() });
    let choice: NodeChoice;
    let outcome: AttemptOutcome;
    try {
      choice = await chooseNode(ctx.calls, { recent: ctx.recentFailures, relay: ctx.relay }, run, { model: req.model, tier, failed, lastError });
      outcome = await tryChoice(ctx, run, choice, chat);
    } catch (err) {
      // Every matching node's queue is full: wait in line as the relay asks, then ask again.
      const retryInMs = capacityRetryMs(err, run, ctx.settings);
      if (retryInMs === null) throw err;
      run.status({ type: 'queued', elapsedMs: run.elapsedMs(), deadlineInMs: lineDeadline(run, ctx.settings) - performance.now(), retryInMs });
      await run.pause(retryInMs);
      continue;
    }
    if (outcome.kind === 'answer') return outcome.answer;
    if (outcome.kind === 'relay-not-ready' || choice.kind === 'relay-not-ready') {
      // The relay is away or knows no node yet: ask again after a pause (relay-away.ts).
      const pauseMs = notReady.retryMs(outcome.error, run);
      if (pauseMs === null) throw outcome.error;
      await run.pause(pauseMs);
      continue;
    }
    if (outcome.kind === 'escalate-tier' && !escalated) {
      escalated = true;
      tier = '64k-full';
      continue;
    }
    lastError = outcome.error;
    if (outcome.kind === 'escalate-tier') throw outcome.error;
    // A request the relay lost is not the node's failure: it may be chosen again, so the bound is
    // maxFailovers alone (§6.4).
    const relayLost = outcome.kind === 'failover' && outcome.relayLost === true;
    const serverKey = choice.kind === 'node' ? choice.node.serverKey : choice.serverKey;
    if (!relayLost) {
      failed.add(serverKey);
      ctx.recentFailures.add(serverKey);
    }
    maxLiveNodes = Math.max(maxLiveNodes, choice.kind === 'node' ? choice.node.liveNodes : choice.liveNodes);
    const allowed = relayLost ? ctx.settings.maxFailovers : Math.min(ctx.settings.maxFailovers, Math.max(0, maxLiveNodes - 1));
    if (run.failovers >= allowed) throw outcome.error;
    // The answer starts over on another node: the text the lost node streamed is taken back (§11.7).
    if (outcome.kind === 'failover' && outcome.afterText) run.delta({ text: '', snapshot: true, elapsedMs: run.elapsedMs() });
    run.failovers++;
    run.status({
      type: 'failover',
      ...(choice.kind === 'node' && { failedNodeFingerprint: choice.node.fingerprint }),
      reason: outcome.error.code,
      failovers: run.failovers,
      elapsedMs: run.elapsedMs(),
    });
  }
}

async function tryChoice(ctx: ClientContext, run: ChatRun, choice: NodeChoice, chat: CheckedChat): Promise<AttemptOutcome> {
  if (choice.kind === 'unusable-key') return { kind: 'failover', error: choice.error };
  if (choice.kind === 'relay-not-ready') return choice;
  const { node } = choice;
  const refusal = (await run.req.acceptNode?.({ fingerprint: node.fingerprint, liveNodes: node.liveNodes }, run.req.signal)) ?? null;
  if (refusal) return { kind: 'failover', error: refusal };
  return attemptOnNode(ctx, run, node, chat);
}
