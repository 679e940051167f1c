// §2.4.5 capability rules, with aliases (`context_tier`, `model_ids`) and reference-style messages
// (`400 invalid_capabilities`, "capabilities.<field> is …").
import { CONTEXT_TIERS, E2EE_PROFILE_LIST_LIMITS } from '../../../src-shared/protocol/constants';
import type { Capabilities } from '../../../src-shared/protocol/relay-http';
import {
  AdvertisedE2eeProfileSchema,
  BACKEND_CLASSES,
  type AdvertisedE2eeProfile,
  type BackendClass,
  type ContextTier,
} from '../../../src-shared/vocabulary';
import { NodeSelectionError } from '../errors';

const invalid = (message: string) => new NodeSelectionError(400, 'invalid_capabilities', message);

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

function intField(raw: Record<string, unknown>, name: string, fallback: number, min: number, max: number): number {
  const v = raw[name] ?? fallback;
  if (!isInt(v)) throw invalid(`capabilities.${name} must be an integer`);
  if (v < min || v > max) throw invalid(`capabilities.${name} must be between ${min} and ${max}`);
  return v;
}

/** §10.6: a short list of names; names this relay does not know are dropped (a newer node may speak more). */
function e2eeProfiles(raw: unknown): AdvertisedE2eeProfile[] {
  if (raw === undefined || raw === null) return [];
  const { maxProfiles, maxNameChars } = E2EE_PROFILE_LIST_LIMITS;
  if (!Array.isArray(raw) || raw.length > maxProfiles || raw.some((p) => typeof p !== 'string' || p.length > maxNameChars))
    throw invalid(`capabilities.e2ee_profiles must be a list of at most ${maxProfiles} profile names of at most ${maxNameChars} characters`);
  const known = raw.filter((p): p is AdvertisedE2eeProfile => AdvertisedE2eeProfileSchema.safeParse(p).success);
  return [...new Set(known)];
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
  const profiles = e2eeProfiles(c.e2ee_profiles);

  return {
    api_version: 'v1',
    supported_model_ids: ids,
    active_context_tier: tier as ContextTier,
    maximum_total_context_tokens: maxContext,
    default_output_token_reservation: reservation,
    maximum_output_tokens: maxOutput,
    max_concurrency: concurrency,
    backend_class: (BACKEND_CLASSES as readonly string[]).includes(backend) ? (backend as BackendClass) : 'unknown',
    ...(profiles.length > 0 && { e2ee_profiles: profiles }),
  };
}
