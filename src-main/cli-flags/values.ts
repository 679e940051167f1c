// Readers for the value kinds several CLIs share. Each takes the name to blame — the flag as typed
// (`--max-concurrency`) or the environment variable the value came from (ParsedFlags.source) —
// and throws CliUsageError saying what is allowed. `undefined` in, `undefined` out: absent flags
// keep their CLI's default.
import { CliUsageError } from './flags';

export function oneOf<const T extends string>(name: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw new CliUsageError(`${name} must be one of: ${allowed.join(', ')}`, name);
  return value as T;
}

/** An integer from `min` to `max`. */
export function wholeNumber(name: string, value: string | undefined, range: { min: number; max: number }): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < range.min || n > range.max) {
    throw new CliUsageError(`${name} must be a whole number from ${range.min} to ${range.max}`, name);
  }
  return n;
}

/** A finite number from `min` to `max`. */
export function numberFrom(name: string, value: string | undefined, range: { min: number; max: number }): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < range.min || n > range.max) {
    throw new CliUsageError(`${name} must be a number from ${range.min} to ${range.max}`, name);
  }
  return n;
}

/** An address typed without its scheme (`127.0.0.1:5010`, `localhost:11434/v1`, `relay.example`). */
const NO_SCHEME = /^(?![a-z][a-z0-9+.-]*:\/\/)[^\s/:@]+(:\d+)?(\/\S*)?$/i;

/** The http:// URL an address typed without a scheme probably meant, else undefined. */
export function urlItMeant(value: string): string | undefined {
  const v = value.trim();
  return NO_SCHEME.test(v) ? `http://${v}` : undefined;
}

/** A duration in seconds, more than zero (fractions allowed). */
export function positiveSeconds(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0) throw new CliUsageError(`${name} must be a positive number of seconds`, name);
  return n;
}
