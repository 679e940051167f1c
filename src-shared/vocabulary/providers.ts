// Model providers a compute node can answer with, and the local model servers the app looks for.
import { z } from 'zod';

/**
 * Adding a kind is one line here; the compiler then points at every place that must handle it
 * (createProvider's switch, the settings' label map, the node host's settings check).
 */
export const ProviderKindSchema = z.enum(['openai-compatible', 'anthropic', 'local', 'test']);
export type ProviderKind = z.infer<typeof ProviderKindSchema>;
export const PROVIDER_KINDS = ProviderKindSchema.options;

/** OpenAI-compatible servers `node:detect` probes at their default addresses. */
export const LocalServerNameSchema = z.enum(['Ollama', 'LM Studio', 'llama.cpp', 'vLLM']);
export type LocalServerName = z.infer<typeof LocalServerNameSchema>;

/** Hardware class a node advertises in its capabilities (docs/protocol.md §2.4.5). */
export const BackendClassSchema = z.enum(['cpu', 'cuda', 'metal', 'vulkan', 'gpu', 'unknown']);
export type BackendClass = z.infer<typeof BackendClassSchema>;
export const BACKEND_CLASSES = BackendClassSchema.options;
