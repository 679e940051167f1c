import { randomBytes } from 'node:crypto';
import { TamperedDataError } from './errors';
import { DATA_KEY_LENGTH } from './sealed-box';
import type { SecretStore } from './secret-store';

export const DATA_KEY_SECRET = 'storage.dataKey';

/** The 32-byte storage key: generated on first run and kept only in the SecretStore. */
export async function loadOrCreateDataKey(secrets: SecretStore): Promise<Buffer> {
  const stored = await secrets.get(DATA_KEY_SECRET);
  if (stored !== null) {
    const key = Buffer.from(stored, 'base64');
    if (key.length !== DATA_KEY_LENGTH) throw new TamperedDataError('data key');
    return key;
  }
  const key = randomBytes(DATA_KEY_LENGTH);
  await secrets.set(DATA_KEY_SECRET, key.toString('base64'));
  return key;
}
