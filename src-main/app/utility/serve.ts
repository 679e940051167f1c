// Child side of the utility-process protocol: parses each call, runs it, answers with a result.
import type { ZodType } from 'zod';
import { AppError } from '../../../src-shared/errors';
import type { ChildMessage } from './messages';

/** process.parentPort in a utility process; a fake in tests. */
export interface ParentPortLike {
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown;
  postMessage(message: unknown): void;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message.slice(0, 2000) : 'failed';
}

export function serveCalls<Call extends { id: number }>(
  port: ParentPortLike,
  schema: ZodType<Call>,
  run: (call: Call) => Promise<unknown>,
): (message: ChildMessage) => void {
  const send = (message: ChildMessage) => port.postMessage(message);
  port.on('message', ({ data }) => {
    const parsed = schema.safeParse(data);
    if (!parsed.success) {
      const id = (data as { id?: unknown } | null)?.id;
      if (typeof id === 'number') send({ type: 'result', id, ok: false, error: { message: 'Malformed call' } });
      return;
    }
    const call = parsed.data;
    run(call).then(
      (value) => send({ type: 'result', id: call.id, ok: true, value: value ?? null }),
      (error: unknown) =>
        send({
          type: 'result',
          id: call.id,
          ok: false,
          error: error instanceof AppError ? { message: describe(error), code: error.code } : { message: describe(error) },
        }),
    );
  });
  send({ type: 'ready' });
  return send;
}

export { describe as describeError };
