// The wire schemas accept every body the reference relay and its peers exchanged (recorded in
// fixtures/vectors, api_v1_relay_flow) and refuse the envelopes the relay must refuse.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import * as S from '../../src-shared/protocol/relay-http';

interface Exchange {
  step: string;
  request: { path: string; json?: unknown };
  response: { status: number; json: unknown };
}
const exchanges = (
  JSON.parse(readFileSync(join(__dirname, '../../fixtures/vectors/token-place-v1-vectors.json'), 'utf8')) as {
    api_v1_relay_flow: { exchanges: Exchange[] };
  }
).api_v1_relay_flow.exchanges;
const byStep = (step: string) => {
  const ex = exchanges.find((e) => e.step === step);
  if (!ex) throw new Error(`no exchange ${step}`);
  return ex;
};

const ok = (schema: z.ZodType, value: unknown, label: string) => {
  const r = schema.safeParse(value);
  expect(r.success, `${label}: ${r.success ? '' : JSON.stringify(r.error.issues)}`).toBe(true);
};

describe('relay-http schemas against the recorded exchanges', () => {
  it('accept the recorded request bodies', () => {
    for (const step of ['client.requests', 'client.requests.2', 'client.requests.3_oaep_wrap']) ok(S.SubmitRequestBody, byStep(step).request.json, step);
    for (const step of ['client.retrieve.pending', 'client.retrieve.ready']) ok(S.RetrieveBody, byStep(step).request.json, step);
    ok(S.CancelBody, byStep('client.cancel').request.json, 'cancel');
    ok(S.RegisterBody, byStep('node.register').request.json, 'register');
    ok(S.Capabilities, (byStep('node.register').request.json as { capabilities: unknown }).capabilities, 'capabilities');
    ok(S.PollBody, byStep('node.poll.work').request.json, 'poll');
    ok(S.ControlBody, byStep('node.control.active').request.json, 'control');
    ok(S.NodeResponseBody, byStep('node.responses').request.json, 'responses');
    ok(S.ProgressBody, byStep('node.progress').request.json, 'progress');
    ok(S.UnregisterBody, byStep('node.unregister').request.json, 'unregister');
  });

  it('accept the recorded response bodies', () => {
    ok(S.NextServerResponse, byStep('next.ok').response.json, 'next');
    ok(S.SubmitAccepted, byStep('client.requests').response.json, 'submit');
    ok(S.RetrievePending, byStep('client.retrieve.pending').response.json, 'pending');
    ok(S.RetrievePending, byStep('client.retrieve.pending_with_progress').response.json, 'pending+progress');
    ok(S.RetrievedResponse, byStep('client.retrieve.ready').response.json, 'ready');
    ok(S.CancelResponse, byStep('client.cancel').response.json, 'cancel');
    ok(S.RegisterResponse, byStep('node.register').response.json, 'register');
    ok(S.RegisterResponse, byStep('node.register.heartbeat').response.json, 'heartbeat');
    ok(S.WorkItem, byStep('node.poll.work').response.json, 'work');
    ok(S.PollResponse, byStep('node.poll.no_work').response.json, 'no work');
    for (const step of ['node.control.active', 'node.control.cancelled', 'node.control.after_completion']) ok(S.ControlResponse, byStep(step).response.json, step);
    ok(S.NodeResponseAccepted, byStep('node.responses').response.json, 'responses');
    ok(S.ProgressAccepted, byStep('node.progress').response.json, 'progress');
    ok(S.UnregisterResponse, byStep('node.unregister').response.json, 'unregister');
    ok(S.HealthResponse, byStep('health.api_v1').response.json, 'health');
    ok(S.ModelList, byStep('models.list').response.json, 'models');
    for (const ex of exchanges)
      if (ex.request.path.startsWith('/api/v1/relay/') && ex.response.status >= 400) ok(S.RelayErrorBody, ex.response.json, ex.step);
  });

  it('refuse what the relay refuses: plaintext fields, unknown keys, missing ciphertext', () => {
    expect(S.SubmitRequestBody.safeParse(byStep('client.requests.plaintext_rejected').request.json).success).toBe(false);
    expect(S.SubmitRequestBody.safeParse(byStep('client.requests.unknown_field_rejected').request.json).success).toBe(false);
    expect(S.SubmitRequestBody.safeParse(byStep('client.requests.missing_client_key').request.json).success).toBe(false);
    expect(S.ProgressBody.safeParse(byStep('node.progress.bad_schema').request.json).success).toBe(false);
    const { ciphertext: _c, ...noCiphertext } = byStep('client.requests').request.json as Record<string, unknown>;
    expect(S.SubmitRequestBody.safeParse(noCiphertext).success).toBe(false);
    expect(S.RetrieveBody.safeParse({ client_public_key: 'k', wait_seconds: S.MAX_RETRIEVE_WAIT_SECONDS + 1 }).success).toBe(false);
    expect(S.PLAINTEXT_FIELD_NAMES).toEqual(['messages', 'prompt', 'input', 'content', 'response', 'text']);
  });
});
