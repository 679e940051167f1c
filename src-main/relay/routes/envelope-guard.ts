// Relay-blind input checks of §2.4.2 in the reference order: plaintext field names, then unknown
// keys, then missing/ill-typed fields. The relay never looks inside the strings.
import type { z } from 'zod';
import { PLAINTEXT_FIELD_NAMES } from '../../../src-shared/protocol/relay-http';
import { EnvelopeRefusedError, InvalidRequestError } from '../errors';

const PLAINTEXT = new Set<string>(PLAINTEXT_FIELD_NAMES);

export function isJsonObject(body: unknown): body is Record<string, unknown> {
  return typeof body === 'object' && body !== null && !Array.isArray(body);
}

/** Refuses plaintext-looking and non-allowlisted keys, then validates with `schema`. */
export function guardEnvelope<S extends z.ZodType>(body: unknown, allowed: ReadonlySet<string>, schema: S): z.output<S> {
  if (!isJsonObject(body)) throw new InvalidRequestError();
  const names = Object.keys(body);
  if (names.some((k) => PLAINTEXT.has(k))) throw new EnvelopeRefusedError('plaintext');
  if (names.some((k) => !allowed.has(k))) throw new EnvelopeRefusedError('unexpected');
  return parseOr400(body, schema);
}

export function parseOr400<S extends z.ZodType>(body: unknown, schema: S, message = 'Invalid request data'): z.output<S> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new InvalidRequestError(message);
  return parsed.data;
}
