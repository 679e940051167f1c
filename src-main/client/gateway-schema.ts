// Request body of the local gateway's POST /v1/chat/completions (the OpenAI chat.completion
// subset that API v1 relay inference can carry, §2.3.1) and the OpenAI-style error body.
import { z } from 'zod';
import { InnerContentBlockSchema, InnerMessageSchema, REFUSED_OPTION_KEYS } from '../../src-shared/protocol/inner-envelope';
import { MESSAGE_ROLES } from '../../src-shared/vocabulary';

// Block types, roles and the name limit are the inner request's (§2.3.1); OpenAI's "developer"
// role is accepted as "system", and non-text parts are refused later with a clear message.
const TextPart = z.object({ type: InnerContentBlockSchema.shape.type, text: z.string() });

export const GatewayMessageSchema = z.object({
  role: z.enum([...MESSAGE_ROLES, 'developer']),
  content: z.union([z.string(), z.array(z.union([TextPart, z.looseObject({ type: z.string() })]))]),
  name: InnerMessageSchema.shape.name,
});

/**
 * Fields that API v1 relay inference cannot honour: refused with a clear 400, never ignored. The
 * node's §2.3.1 refused options (bar `n`, which the body schema allows as 1) plus OpenAI-only
 * output kinds that never reach the node.
 */
export const GATEWAY_REFUSED_FIELDS = [
  ...REFUSED_OPTION_KEYS.filter((key) => key !== 'n'),
  'audio',
  'modalities',
  'prediction',
] as const;

export const GatewayChatBodySchema = z.looseObject({
  model: z.string().trim().min(1).max(128),
  messages: z.array(GatewayMessageSchema).min(1),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().nullish() }).nullish(),
  max_tokens: z.int().min(1).nullish(),
  max_completion_tokens: z.int().min(1).nullish(),
  temperature: z.number().nullish(),
  top_p: z.number().nullish(),
  frequency_penalty: z.number().nullish(),
  presence_penalty: z.number().nullish(),
  stop: z.union([z.string(), z.array(z.string())]).nullish(),
  seed: z.int().nullish(),
  n: z.literal(1).nullish(),
});
export type GatewayChatBody = z.infer<typeof GatewayChatBodySchema>;

export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

export function openAIError(message: string, type: string, code: string | null, param: string | null = null): OpenAIErrorBody {
  return { error: { message, type, param, code } };
}
