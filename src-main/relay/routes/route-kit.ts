// Per-route policy shared by the route modules: CORS marking, rate-limit buckets (§5.1),
// long-poll slots (§5.1), compute-node token checks (§2.2) and the abort signal of a long poll.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RELAY_SERVER_TOKEN_HEADER } from '../../../src-shared/protocol/relay-http';
import { TooManyLongPollsError } from '../access/access-errors';
import { senderGroupOf } from '../access/client-address';
import type { LongPollKind, LongPollSlots } from '../access/long-poll-slots';
import { secretMatches } from '../access/secret-match';
import type { NodeRouteId, RateBudget } from '../config';
import { RateLimitError, ServerTokenError } from '../errors';
import type { RelayContext } from '../state/context';
import { sha256Hex } from '../state/model';

/**
 * Route options: `cors` = public browser route (§3 CORS), `limit` = which budget applies,
 * `longPoll` = the route may hold the request (the node poll, budget `poll`, always does).
 */
export interface RoutePolicy {
  cors?: boolean;
  limit?: 'public' | 'exempt' | NodeRouteId;
  longPoll?: LongPollKind;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    policy?: RoutePolicy;
  }
  interface FastifyRequest {
    /** False when the sender holds all the long polls it may (§5.1): a retrieve then answers at once. */
    longPollAdmitted: boolean;
    /** routeOf's copy (fastify's routeOptions getter builds a new object on every read). */
    relayRoute: RouteSeen | null;
  }
}

export interface RouteSeen {
  /** The route template, undefined when no route matched. */
  url: string | undefined;
  policy: RoutePolicy | undefined;
}

/** The request's route template and policy, read once per request. */
export function routeOf(request: FastifyRequest): RouteSeen {
  if (request.relayRoute) return request.relayRoute;
  const options = request.routeOptions;
  return (request.relayRoute = { url: options.url, policy: options.config?.policy });
}

/** Constant-time match of the X-Relay-Server-Token header against any configured token. */
export function serverTokenMatches(ctx: RelayContext, header: unknown): boolean {
  return ctx.config.relayTokens.length === 0 || secretMatches(header, ctx.config.relayTokens);
}

export function requireServerToken(ctx: RelayContext, request: FastifyRequest): void {
  if (!serverTokenMatches(ctx, request.headers[RELAY_SERVER_TOKEN_HEADER])) throw new ServerTokenError();
}

async function charge(ctx: RelayContext, bucket: string, budgets: RateBudget[]): Promise<void> {
  for (const b of budgets) {
    const hit = await ctx.store.hit(`rl:${bucket}:${b.limit}/${b.windowSeconds}`, b.windowSeconds * 1000);
    if (hit.count > b.limit) {
      throw new RateLimitError(b.limit, b.windowSeconds, Math.max(1, Math.ceil(hit.resetInMs / 1000)));
    }
  }
}

/**
 * Per-IP budgets before the handler runs (public routes and the node routes' IP budget): a
 * promise when a budget is charged, undefined (at once) when none applies.
 */
export function applyIpRateLimit(ctx: RelayContext, request: FastifyRequest): Promise<void> | undefined {
  const limits = ctx.config.rateLimits;
  const { policy } = routeOf(request);
  if (!limits.enabled || !policy?.limit || policy.limit === 'exempt') return undefined;
  const ip = sha256Hex(senderGroupOf(request.ip));
  return policy.limit === 'public' ? charge(ctx, `ip:${ip}`, limits.publicPerIp) : charge(ctx, `nodeip:${ip}`, limits.nodePerIp);
}

/**
 * Per-identity node budget (§5.1): charged only when the caller proved something, i.e. a
 * configured relay token matched; identity = the node key (or the client key on /responses).
 */
export async function applyIdentityRateLimit(ctx: RelayContext, route: NodeRouteId, identity: string): Promise<void> {
  const limits = ctx.config.rateLimits;
  if (!limits.enabled || ctx.config.relayTokens.length === 0) return;
  await charge(ctx, `id:${route}:${sha256Hex(identity)}`, [
    { limit: limits.nodePerIdentityPerHour[route], windowSeconds: limits.identityWindowSeconds },
  ]);
}

/**
 * Takes a long-poll slot of the request's sender until the response closes (§5.1). Without a
 * free slot a node poll is refused (429) and a retrieve is marked not to wait.
 */
export function admitLongPoll(slots: LongPollSlots, perSender: number, request: FastifyRequest, reply: FastifyReply): void {
  const { policy } = routeOf(request);
  const kind = policy?.longPoll ?? (policy?.limit === 'poll' ? 'node-poll' : undefined);
  if (kind === undefined) return;
  const release = slots.tryHold(kind, senderGroupOf(request.ip));
  if (release) {
    reply.raw.once('close', release);
    return;
  }
  if (kind === 'node-poll') throw new TooManyLongPollsError(perSender);
  request.longPollAdmitted = false;
}

/**
 * The reason of every long poll's abort: controller.abort() without one builds a DOMException
 * (with its stack) per request, and every response's close aborts its long poll's signal.
 */
const LONG_POLL_ENDED = Object.freeze({ name: 'LongPollEnded', message: 'the long poll ended' });

/** Aborts when the client disconnects before we answer, or when the relay shuts down. */
export function longPollSignal(ctx: RelayContext, reply: FastifyReply): AbortSignal {
  // Not AbortSignal.any(): on Node 20 its composite signals stay attached to the long-lived
  // shutdown signal; here the listener is removed when the response closes.
  const controller = new AbortController();
  const abort = () => controller.abort(LONG_POLL_ENDED);
  // A drain (§2.6.5) ends long polls as closing does.
  const ends = ctx.draining ? [ctx.shutdown, ctx.draining] : [ctx.shutdown];
  if (ends.some((s) => s.aborted)) controller.abort(LONG_POLL_ENDED);
  else for (const s of ends) s.addEventListener('abort', abort, { once: true });
  reply.raw.once('close', () => {
    for (const s of ends) s.removeEventListener('abort', abort);
    controller.abort(LONG_POLL_ENDED);
  });
  return controller.signal;
}
