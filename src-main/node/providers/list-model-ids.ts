// Model discovery of the SDK-backed providers: page through the SDK's model list.
import { mapProviderError } from './map-error';

/** The ids of every model `list` pages through; SDK failures become ProviderErrors. */
export async function listModelIds(
  list: (signal: AbortSignal) => AsyncIterable<{ id: string }>,
  signal?: AbortSignal,
): Promise<string[]> {
  const ids: string[] = [];
  const sig = signal ?? new AbortController().signal;
  try {
    for await (const model of list(sig)) ids.push(model.id);
  } catch (err) {
    throw mapProviderError(err, sig);
  }
  return ids;
}
