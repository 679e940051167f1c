// The relay address flag of the client bins (tokenplace-chat, tokenplace-gateway): `--server URL`
// or TOKENPLACE_SERVER, checked as a server profile's address is (server-url.ts), with messages
// naming where the value came from.
import { CliUsageError, urlItMeant } from '../cli-flags';
import { normalizeServerUrl } from './server-url';

export const SERVER_FLAG = {
  type: 'string',
  value: 'URL',
  env: ['TOKENPLACE_SERVER'],
  help: 'relay address (http:// or https://); default: $TOKENPLACE_SERVER',
} as const;

/**
 * The relay URL of `raw` (from `source`: `--server` or the variable), normalised; a CliUsageError
 * saying what is wrong otherwise, and for an address without a scheme the URL it probably meant.
 */
export function serverUrlFrom(raw: string | undefined, source: string): string {
  if (!raw) throw new CliUsageError('--server URL is required (or set TOKENPLACE_SERVER)', '--server');
  const meant = urlItMeant(raw);
  if (meant) throw new CliUsageError(`${source}: ${raw.trim()} is not a URL (it has no http:// or https://); did you mean ${meant}?`, source);
  try {
    return normalizeServerUrl(raw);
  } catch (err) {
    throw new CliUsageError(`${source}: ${(err as Error).message.replace(/^invalid_server_url: /, '')}`, source);
  }
}
