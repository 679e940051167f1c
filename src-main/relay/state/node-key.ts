// Registration-time check of a node's wire key (docs/protocol.md §9.5, §1.2): canonical base64 of
// the standard SPKI PEM of an RSA key, 2048–8192 bits, at most 2048 characters. Registered keys are
// what servers/next hands out and what the relay encrypts challenges to, so nothing else gets in.
// Parsed keys are cached by wire string: heartbeats and challenge requests cost no parsing.
import { createPublicKey, type KeyObject } from 'node:crypto';
import { LruMap } from 'toad-cache';
import { NODE_KEY_LIMITS } from '../../../src-shared/protocol/registration-proof';
import { InvalidPublicKeyError } from '../errors';

const PEM_HEADER = '-----BEGIN PUBLIC KEY-----';
/** Above this, e·x mod n stops being cheap for the relay (challenges) and for clients (wraps). */
const MAX_PUBLIC_EXPONENT = 2n ** 32n;

const parsed = new LruMap<KeyObject>(1024);

/** The node key as a KeyObject; throws InvalidPublicKeyError naming what is wrong. */
export function nodePublicKey(wire: string): KeyObject {
  const cached = parsed.get(wire);
  if (cached) return cached;
  const key = parseNodeKey(wire);
  parsed.set(wire, key);
  return key;
}

function parseNodeKey(wire: string): KeyObject {
  if (wire.length > NODE_KEY_LIMITS.maxWireChars) throw new InvalidPublicKeyError(`this one has ${wire.length} characters`);
  const bytes = Buffer.from(wire, 'base64');
  if (wire.length % 4 !== 0 || bytes.toString('base64') !== wire)
    throw new InvalidPublicKeyError('this one is not canonical base64 (standard alphabet, "=" padding, no whitespace)');
  let pem: string;
  try {
    pem = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    pem = '';
  }
  if (!pem.startsWith(PEM_HEADER)) throw new InvalidPublicKeyError('this one does not decode to a "-----BEGIN PUBLIC KEY-----" PEM');
  let key: KeyObject;
  try {
    key = createPublicKey({ key: pem, format: 'pem' });
  } catch {
    throw new InvalidPublicKeyError('this PEM cannot be parsed');
  }
  if (key.asymmetricKeyType !== 'rsa') throw new InvalidPublicKeyError(`this is an ${key.asymmetricKeyType ?? 'unknown'} key`);
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < NODE_KEY_LIMITS.minModulusBits || bits > NODE_KEY_LIMITS.maxModulusBits)
    throw new InvalidPublicKeyError(`this key's modulus has ${bits} bits`);
  const exponent = key.asymmetricKeyDetails?.publicExponent ?? 0n;
  if (exponent < 3n || exponent % 2n === 0n || exponent > MAX_PUBLIC_EXPONENT)
    throw new InvalidPublicKeyError('its public exponent must be odd, from 3 to 2^32 (65537 is usual)');
  // One encoding per key: exactly what Node, OpenSSL and Python's cryptography emit (64-character
  // lines, "\n", one final newline). Trailing text or another layout is another identity (§1.2).
  if (key.export({ type: 'spki', format: 'pem' }) !== pem)
    throw new InvalidPublicKeyError('this PEM is not in the standard layout (64-character lines, "\\n" line ends, one final newline, nothing else)');
  return key;
}
