import { z } from 'zod';
import { InvalidServerUrlError } from './errors';

/** http(s) URL without credentials, query or fragment; stored without a trailing slash. */
export const ServerUrlSchema = z
  .string()
  .trim()
  .min(1, 'empty URL')
  .max(2048, 'URL too long')
  .transform((raw, ctx) => {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'not a URL' });
      return z.NEVER;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      ctx.addIssue({ code: 'custom', message: `scheme ${url.protocol} is not http or https` });
      return z.NEVER;
    }
    if (url.username || url.password) {
      ctx.addIssue({ code: 'custom', message: 'credentials in the URL are not allowed' });
      return z.NEVER;
    }
    if (url.search || url.hash) {
      ctx.addIssue({ code: 'custom', message: 'query or fragment is not allowed' });
      return z.NEVER;
    }
    return url.origin + url.pathname.replace(/\/+$/, '');
  });

/** Normalises a user-supplied server address or throws InvalidServerUrlError. */
export function normalizeServerUrl(raw: unknown): string {
  const parsed = ServerUrlSchema.safeParse(raw);
  if (!parsed.success) throw new InvalidServerUrlError(parsed.error.issues[0]?.message ?? 'invalid URL');
  return parsed.data;
}
