// The curated list of small chat models the library offers for download (issue 13).
// Every URL is pinned to a repository revision, and every SHA-256 and size was read from the
// public Hugging Face page of that file at that revision (its Git LFS details / LFS pointer).
// A model whose hash could not be verified that way is not listed.

export interface CatalogueEntry {
  id: string;
  name: string;
  publisher: string;
  /** Parameter count as people say it ("0.5B"). */
  parameters: string;
  quantization: string;
  /** The file's name in the models folder. */
  fileName: string;
  sizeBytes: number;
  /** Lower-case hex SHA-256 of the whole file. */
  sha256: string;
  url: string;
  licence: { name: string; url: string };
  /** Training context of the model, in tokens. */
  contextLength: number;
  /** KV-cache bytes per context token at f16 (2 × layers × KV heads × head size × 2 bytes). */
  kvCacheBytesPerToken: number;
}

/** Rough working memory beside weights and KV cache (compute buffers, logits of a batch). */
export const ENGINE_WORKING_BYTES = 384 * 1024 * 1024;
/** The context size the RAM estimates assume (the engine's default ceiling). */
export const RAM_ESTIMATE_CONTEXT_TOKENS = 8192;

export const CURATED_MODELS: readonly CatalogueEntry[] = Object.freeze([
  {
    // bartowski/Qwen2.5-0.5B-Instruct-GGUF, file page at b26a58a; size from the LFS pointer (commit 21ef230).
    id: 'qwen2.5-0.5b-instruct-q4_k_m',
    name: 'Qwen2.5 0.5B Instruct',
    publisher: 'Qwen (Alibaba Cloud)',
    parameters: '0.5B',
    quantization: 'Q4_K_M',
    fileName: 'Qwen2.5-0.5B-Instruct-Q4_K_M.gguf',
    sizeBytes: 397_808_192,
    sha256: '6eb923e7d26e9cea28811e1a8e852009b21242fb157b26149d3b188f3a8c8653',
    url: 'https://huggingface.co/bartowski/Qwen2.5-0.5B-Instruct-GGUF/resolve/b26a58accf53b1a19fbc555d52fdb224bec473f5/Qwen2.5-0.5B-Instruct-Q4_K_M.gguf',
    licence: { name: 'Apache-2.0', url: 'https://huggingface.co/Qwen/Qwen2.5-0.5B-Instruct/blob/main/LICENSE' },
    contextLength: 32_768,
    kvCacheBytesPerToken: 2 * 24 * 2 * 64 * 2,
  },
  {
    // bartowski/Llama-3.2-1B-Instruct-GGUF, file page at d52af37; size from an LFS pointer of the same SHA-256.
    id: 'llama-3.2-1b-instruct-q4_k_m',
    name: 'Llama 3.2 1B Instruct',
    publisher: 'Meta',
    parameters: '1B',
    quantization: 'Q4_K_M',
    fileName: 'Llama-3.2-1B-Instruct-Q4_K_M.gguf',
    sizeBytes: 807_694_464,
    sha256: '6f85a640a97cf2bf5b8e764087b1e83da0fdb51d7c9fab7d0fece9385611df83',
    url: 'https://huggingface.co/bartowski/Llama-3.2-1B-Instruct-GGUF/resolve/d52af3776f99ddf220e5ffd3f93b2a4e4df105be/Llama-3.2-1B-Instruct-Q4_K_M.gguf',
    licence: { name: 'Llama 3.2 Community License', url: 'https://www.llama.com/llama3_2/license/' },
    contextLength: 131_072,
    kvCacheBytesPerToken: 2 * 16 * 8 * 64 * 2,
  },
  {
    // bartowski/Llama-3.2-3B-Instruct-GGUF, file page at c346bfc (2.02 GB); exact size as published with this SHA-256.
    id: 'llama-3.2-3b-instruct-q4_k_m',
    name: 'Llama 3.2 3B Instruct',
    publisher: 'Meta',
    parameters: '3B',
    quantization: 'Q4_K_M',
    fileName: 'Llama-3.2-3B-Instruct-Q4_K_M.gguf',
    sizeBytes: 2_019_377_696,
    sha256: '6c1a2b41161032677be168d354123594c0e6e67d2b9227c84f296ad037c728ff',
    url: 'https://huggingface.co/bartowski/Llama-3.2-3B-Instruct-GGUF/resolve/c346bfc2029e79ba6d7edf026cf01fe44242db0d/Llama-3.2-3B-Instruct-Q4_K_M.gguf',
    licence: { name: 'Llama 3.2 Community License', url: 'https://www.llama.com/llama3_2/license/' },
    contextLength: 131_072,
    kvCacheBytesPerToken: 2 * 28 * 8 * 128 * 2,
  },
]);

/** Memory the model needs loaded: weights + KV cache for `contextTokens` + working buffers. */
export function estimateRamBytes(entry: CatalogueEntry, contextTokens = RAM_ESTIMATE_CONTEXT_TOKENS): number {
  const context = Math.min(contextTokens, entry.contextLength);
  return entry.sizeBytes + entry.kvCacheBytesPerToken * context + ENGINE_WORKING_BYTES;
}

export function findCatalogueEntry(idOrFileName: string): CatalogueEntry | undefined {
  return CURATED_MODELS.find((m) => m.id === idOrFileName || m.fileName === idOrFileName);
}

/** The smallest curated model: the first-run offer ("download a small model"). */
export function smallestCatalogueEntry(): CatalogueEntry {
  return CURATED_MODELS.reduce((a, b) => (b.sizeBytes < a.sizeBytes ? b : a));
}
