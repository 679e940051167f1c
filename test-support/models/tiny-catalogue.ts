// A curated-list entry for a file a loopback server serves (the backend's and the e2e bridge's
// `modelCatalogue`): the real catalogue's shape with the file's own size and SHA-256.
import { createHash } from 'node:crypto';
import type { CatalogueEntry } from '../../src-main/models';

export function catalogueEntryFor(url: string, body: Buffer, facts: Partial<CatalogueEntry> = {}): CatalogueEntry {
  const fileName = decodeURIComponent(new URL(url).pathname.split('/').pop() ?? 'tiny-model.gguf');
  return {
    id: fileName.replace(/\.gguf$/i, '').toLowerCase(),
    name: 'Tiny Test Model',
    publisher: 'token.place tests',
    parameters: '0.1M',
    quantization: 'F32',
    fileName,
    sizeBytes: body.length,
    sha256: createHash('sha256').update(body).digest('hex'),
    url,
    licence: { name: 'MIT', url: 'https://opensource.org/license/mit' },
    contextLength: 2048,
    kvCacheBytesPerToken: 2 * 2 * 2 * 16 * 2,
    ...facts,
  };
}
