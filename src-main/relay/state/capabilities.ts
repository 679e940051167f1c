// §2.4.5 capability rules, with aliases (`context_tier`, `model_ids`) and reference-style messages
// (`400 invalid_capabilities`, "capabilities.<field> is …").
import { CONTEXT_TIERS } from '../../../src-shared/protocol/constants';
import type { Capabilities } from '../../../src-shared/protocol/relay-http';
import { BACKEND_CLASSES, type BackendClass, type ContextTier } from '../../../src-shared/vocabulary';
import { NodeSelectionError } from '../errors';

const invalid = (message: string) => new NodeSelectionError(400, 'invalid_capabilities', message);

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

function intField(raw: Record<string, unknown>, name: string, fallback: number, min: number, max: number): number {
  const v = raw[name] ?? fallback;
  if (!isInt(v)) throw invalid(`capabilities.${name} must be an integer`);
  if (v < min || v > max) throw invalid(`capabilities.${name} must be between ${min} and ${max}`);
  return v;
}

export function parseCapabilities(raw: unknown): Capabilities {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw invalid('capabilities must be an object');
  const c = raw as Record<string, unknown>;
  const apiVersion = c.api_version ?? 'v1';
  if (apiVersion !== 'v1' && apiVersion !== 1) throw invalid('capabilities.api_version is unsupported');

  const tier = c.active_context_tier ?? c.context_tier ?? '8k-fast';
  if (typeof tier !== 'string' || !(tier in CONTEXT_TIERS)) throw invalid('capabilities.active_context_tier is unsupported');
  const tierTokens = CONTEXT_TIERS[tier as ContextTier];

  const models = c.supported_model_ids ?? c.model_ids;
  if (!Array.isArray(models) || models.length === 0 || models.length > 64)
    throw invalid('capabilities.supported_model_ids must be a non-empty list of at most 64 model ids');
  const ids: string[] = [];
  for (const m of models) {
    if (typeof m !== 'string' || m.trim() === '' || m.length > 128)
      throw invalid('capabilities.supported_model_ids entries must be non-empty strings of at most 128 characters');
    const id = m.trim().toLowerCase();
    if (!ids.includes(id)) ids.push(id);
  }

  const maxContext = intField(c, 'maximum_total_context_tokens', tierTokens, 1, 1_000_000);
  if (maxContext < tierTokens)
    throw invalid(`capabilities.maximum_total_context_tokens must be at least ${tierTokens} for ${tier}`);
  const reservation = intField(c, 'default_output_token_reservation', 1024, 1, 1_000_000);
  const maxOutput = intField(c, 'maximum_output_tokens', Math.max(reservation, 8192), 1, 1_000_000);
  if (reservation > maxOutput)
    throw invalid('capabilities.default_output_token_reservation must not exceed maximum_output_tokens');
  const concurrency = intField(c, 'max_concurrency', 1, 1, 128);
  const backend = typeof c.backend_class === 'string' ? c.backend_class.toLowerCase() : 'unknown';

  return {
    api_version: 'v1',
    supported_model_ids: ids,
    active_context_tier: tier as ContextTier,
    maximum_total_context_tokens: maxContext,
    default_output_token_reservation: reservation,
    maximum_output_tokens: maxOutput,
    max_concurrency: concurrency,
    backend_class: (BACKEND_CLASSES as readonly string[]).includes(backend) ? (backend as BackendClass) : 'unknown',
  };
}
