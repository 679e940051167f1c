// Reading a download response: which part of the file it carries, its total size, whether the
// server can resume (HTTP range requests, RFC 9110 §14), and the validator for If-Range.

export interface RangeAnswer {
  /** First byte the body carries. */
  start: number;
  /** Size of the whole file, when the server says. */
  totalBytes?: number;
}

/** `Content-Range: bytes 100-199/1000` → { start: 100, totalBytes: 1000 } (`/*` → total unknown). */
export function parseContentRange(header: string | null): RangeAnswer | undefined {
  const match = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(header?.trim() ?? '');
  if (!match) return undefined;
  return { start: Number(match[1]), totalBytes: match[3] === '*' ? undefined : Number(match[3]) };
}

export function contentLength(headers: Headers): number | undefined {
  const value = headers.get('content-length');
  return value !== null && /^\d+$/.test(value) ? Number(value) : undefined;
}

/** A strong ETag, else Last-Modified: what If-Range may carry (weak ETags may not). */
export function rangeValidator(headers: Headers): string | undefined {
  const etag = headers.get('etag');
  if (etag && !etag.startsWith('W/')) return etag;
  return headers.get('last-modified') ?? undefined;
}

export function advertisesRanges(headers: Headers): boolean {
  return (headers.get('accept-ranges') ?? '').toLowerCase().split(',').some((v) => v.trim() === 'bytes');
}
