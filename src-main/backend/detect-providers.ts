// node:detect — is a local OpenAI-compatible model server running at its default address?
import { z } from 'zod';
import type { DetectTarget } from './types';

export const DEFAULT_DETECT_TARGETS: DetectTarget[] = [
  { name: 'Ollama', baseUrl: 'http://127.0.0.1:11434/v1' },
  { name: 'LM Studio', baseUrl: 'http://127.0.0.1:1234/v1' },
  { name: 'llama.cpp', baseUrl: 'http://127.0.0.1:8080/v1' },
  { name: 'vLLM', baseUrl: 'http://127.0.0.1:8000/v1' },
];

const ModelListSchema = z.object({ data: z.array(z.object({ id: z.string() })) });

export async function detectProviders(
  targets: DetectTarget[],
  fetchImpl: typeof fetch,
  timeoutMs: number,
): Promise<{ name: DetectTarget['name']; baseUrl: string; models: string[] }[]> {
  const found = await Promise.all(
    targets.map(async (t) => {
      try {
        const res = await fetchImpl(`${t.baseUrl}/models`, { signal: AbortSignal.timeout(timeoutMs) });
        if (!res.ok) return null;
        const list = ModelListSchema.safeParse(await res.json());
        return list.success ? { name: t.name, baseUrl: t.baseUrl, models: list.data.data.map((m) => m.id) } : null;
      } catch {
        return null;
      }
    }),
  );
  return found.filter((x) => x !== null);
}
