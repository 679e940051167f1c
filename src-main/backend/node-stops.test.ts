// A compute node that stops or crashes mid-answer: the relay cancels the request with reason
// `server_unregistered` (§2.4.3); the user is told in plain words that the node stopped, with Retry.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isFinalChatEvent, type ChatEvent, type ChatFinalEvent, type Conversation } from '../../src-shared/ipc/contract';
import { startRealBackend, type RealBackend } from '../../test-support/backend/real-backend';

describe('the node stops while answering', () => {
  const events: ChatEvent[] = [];
  let real: RealBackend;
  const call = (channel: string, request: unknown = {}) => real.backend.handle(channel, request);

  beforeAll(async () => {
    real = await startRealBackend({
      testProvider: { delayMs: 1500 },
      onEvent: (channel, payload) => {
        if (channel === 'events:chat') events.push(payload as ChatEvent);
      },
    });
  });
  afterAll(async () => {
    await real?.close();
  });

  const final = (answerId: string) => events.find((e): e is ChatFinalEvent => isFinalChatEvent(e) && e.message.id === answerId);

  for (const how of ['crashes', 'is stopped'] as const) {
    it(`says the node stopped when it ${how}, and Retry works once it is back`, async () => {
      const conversation = (await call('conversations:create', {})) as Conversation;
      const { answerId } = (await call('chat:send', { conversationId: conversation.id, content: 'long question' })) as { answerId: string };
      // Wait until a node has the request (queued or working), then take the node away.
      await expect
        .poll(() => events.some((e) => e.type === 'status' && e.answerId === answerId && !['finding_node', 'submitting'].includes(e.phase)), { timeout: 5000, interval: 10 })
        .toBe(true);
      if (how === 'crashes') await real.nodeHost.simulateCrash('boom');
      else await call('node:stop');
      await expect.poll(() => final(answerId), { timeout: 10_000, interval: 20 }).toBeDefined();
      expect(final(answerId)).toMatchObject({
        type: 'error',
        message: { status: 'error', error: { code: 'node_stopped', retryable: true, message: expect.stringMatching(/compute node stopped before it finished answering.*Retry/s) } },
      });

      if (how === 'is stopped') await call('node:start');
      await expect.poll(async () => ((await call('node:status')) as { state: string }).state, { timeout: 5000 }).toBe('serving');
      const retry = (await call('chat:regenerate', { conversationId: conversation.id })) as { answerId: string };
      await expect.poll(() => final(retry.answerId)?.type, { timeout: 10_000, interval: 20 }).toBe('answer');
    });
  }
});
