// `tokenplace-gateway`: the local OpenAI-compatible gateway (gateway.ts) without the desktop app,
// in front of one relay; testable without a process. Runs until its signal is aborted, then stops
// taking requests, lets the ones in flight end (their HTTP clients are gone, so each is cancelled at
// the relay) and ends with 0.
import { EXIT, stopRequested, usageFailure, type CliIo } from '../cli-flags';
import { GATEWAY_USAGE, parseGatewayArgs } from './gateway-cli-args';
import { GATEWAY_HOST, generateGatewayToken, startGateway, type RunningGateway } from './gateway';
import type { FetchLike } from './http';
import { RelayClient } from './relay-client';
import type { ChatAnswer, ChatRequest } from './types';

export type GatewayCliIo = Omit<CliIo, 'stdin'> & { fetch?: FetchLike };

/** How long the requests still open at a stop get to end (their cancel reaching the relay). */
const SETTLE_MS = 5000;

export async function runGatewayCli(io: GatewayCliIo): Promise<number> {
  const say = (line: string) => io.stderr.write(`tokenplace-gateway: ${line}\n`);
  const parsed = parseGatewayArgs(io.argv, io.env);
  if (parsed.kind === 'help') {
    io.stdout.write(`${GATEWAY_USAGE}\n`);
    return EXIT.ok;
  }
  if (parsed.kind === 'usage-error') return usageFailure(io, 'tokenplace-gateway', parsed.message);
  const { server, port, token: fromFile } = parsed.options;

  const client = new RelayClient({ baseUrl: server, ...(io.fetch ? { fetch: io.fetch } : {}) });
  const open = new Set<Promise<unknown>>();
  const chat = (req: ChatRequest): Promise<ChatAnswer> => {
    const answer = client.chat(req);
    const settled = answer.catch(() => undefined);
    open.add(settled);
    void settled.finally(() => open.delete(settled));
    return answer;
  };
  const token = fromFile ?? generateGatewayToken();
  let gateway: RunningGateway;
  try {
    gateway = await startGateway({ chat, listModels: () => client.models(), port, token });
  } catch (err) {
    say(`could not start: ${listenFailure(err, port)}`);
    return EXIT.failed;
  }
  io.stdout.write(`tokenplace-gateway listening on ${gateway.url}/v1 (relay: ${server})\n`);
  // The generated token is shown here once and never again (nothing else prints or logs it).
  if (!fromFile) io.stdout.write(`API key for this run (shown once; pass --token-file F to choose one): ${token}\n`);

  say(`${await stopRequested(io.signal)}, shutting down`);
  await gateway.close();
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([Promise.all(open), new Promise((resolve) => (timer = setTimeout(resolve, SETTLE_MS)))]);
  clearTimeout(timer);
  return EXIT.ok;
}

/** Why the gateway could not listen, in words for the operator. */
function listenFailure(err: unknown, port: number): string {
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code === 'EADDRINUSE') return `port ${port} on ${GATEWAY_HOST} is in use; pick another with --port N (0 = any free port)`;
  if (code === 'EACCES') return `not allowed to listen on port ${port} on ${GATEWAY_HOST}; pick a port from 1024 with --port N`;
  return (err as Error)?.message ?? String(err);
}
