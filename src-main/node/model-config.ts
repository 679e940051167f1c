// Model configurations: which provider model is offered under which model ids and aliases, on
// which context tier, with which output budget. Validated at load with readable errors.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { CONTEXT_TIERS, REFERENCE_MODEL_ALIASES } from '../../src-shared/protocol/constants';
import { ContextTierSchema, type ContextTier } from '../../src-shared/vocabulary';
import { ModelConfigError } from './errors';

const MAX_ADVERTISED_IDS = 64; // §2.4.5: ≤ 64 ids × 128 chars
const modelId = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(128, 'must be at most 128 characters')
  .transform((s) => s.toLowerCase());

export const ModelConfigSchema = z
  .strictObject({
    /** Model id clients ask for (stored lower-case, like the relay does). */
    id: modelId,
    /** More ids this model answers to. */
    aliases: z.array(modelId).max(MAX_ADVERTISED_IDS - 1).default([]),
    /** Model name at the provider (e.g. "qwen3:8b" for Ollama). */
    providerModel: z.string().trim().min(1, 'must not be empty'),
    contextTier: ContextTierSchema.default('8k-fast'),
    /** Real context window in tokens (default: the tier size; must be ≥ the tier size). */
    contextTokens: z.int().min(1).max(1_000_000).optional(),
    /** Hard cap on output tokens per request. */
    maxOutputTokens: z.int().min(1).max(1_000_000).default(8192),
    /** Output budget when a request names no max_tokens (§5.3 default reservation 1024). */
    defaultOutputTokens: z.int().min(1).max(1_000_000).default(1024),
    /** Visible <think>…</think> output: strip it, or refuse the answer (§2.3.1 Qwen rule). */
    thinkOutput: z.enum(['strip', 'reject']).default('strip'),
    /** Prepend "/no_think" to the system prompt (Qwen3 thinking off, as reference nodes do). Default: on for Qwen3 models. */
    injectNoThink: z.boolean().optional(),
  })
  .superRefine((m, ctx) => {
    const tierTokens = CONTEXT_TIERS[m.contextTier];
    if (m.contextTokens !== undefined && m.contextTokens < tierTokens) {
      ctx.addIssue({
        code: 'custom',
        path: ['contextTokens'],
        message: `must be at least ${tierTokens} for tier ${m.contextTier}`,
      });
    }
    if (m.defaultOutputTokens > m.maxOutputTokens) {
      ctx.addIssue({ code: 'custom', path: ['defaultOutputTokens'], message: 'must not exceed maxOutputTokens' });
    }
  })
  .transform((m) => ({
    ...m,
    contextTokens: m.contextTokens ?? CONTEXT_TIERS[m.contextTier],
    injectNoThink: m.injectNoThink ?? /qwen-?3/i.test(m.providerModel),
  }));

export type ModelConfigInput = z.input<typeof ModelConfigSchema>;
export type ModelConfig = z.output<typeof ModelConfigSchema>;

export const ModelConfigListSchema = z
  .array(ModelConfigSchema)
  .min(1, 'at least one model is required')
  .superRefine((models, ctx) => {
    const owner = new Map<string, number>();
    models.forEach((m, i) => {
      for (const name of [m.id, ...m.aliases]) {
        const prev = owner.get(name);
        if (prev !== undefined && prev !== i) {
          ctx.addIssue({ code: 'custom', path: [i], message: `model id or alias "${name}" is also used by model ${prev}` });
        }
        owner.set(name, i);
      }
    });
    if (owner.size > MAX_ADVERTISED_IDS) {
      ctx.addIssue({ code: 'custom', path: [], message: `at most ${MAX_ADVERTISED_IDS} ids and aliases in total (relay limit)` });
    }
  });

/** Accepts a list or `{ "models": [...] }`. */
const ModelConfigFileSchema = z.union([ModelConfigListSchema, z.strictObject({ models: ModelConfigListSchema })]);

function issueLines(error: z.ZodError): string[] {
  return error.issues.map((i) => {
    const path = i.path.length ? i.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('') : '(root)';
    return `${path.replace(/^\./, '')}: ${i.message}`;
  });
}

/** Validates model configurations given as objects. Throws ModelConfigError with one line per problem. */
export function loadModelConfigs(input: unknown, source = 'model configuration'): ModelConfig[] {
  const parsed = ModelConfigFileSchema.safeParse(input);
  if (!parsed.success) {
    // The union hides which branch the user meant; report the branch matching the input's shape.
    const branch =
      typeof input === 'object' && input !== null && !Array.isArray(input)
        ? z.strictObject({ models: ModelConfigListSchema }).safeParse(input)
        : ModelConfigListSchema.safeParse(input);
    const lines = branch.success ? issueLines(parsed.error) : issueLines(branch.error);
    throw new ModelConfigError(`Invalid ${source}`, lines);
  }
  return Array.isArray(parsed.data) ? parsed.data : parsed.data.models;
}

/** Reads and validates a JSON model configuration file. */
export async function loadModelConfigFile(path: string): Promise<ModelConfig[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new ModelConfigError(`Cannot read model configuration file ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ModelConfigError(`Model configuration file ${path} is not valid JSON: ${(err as Error).message}`);
  }
  return loadModelConfigs(json, `model configuration file ${path}`);
}

/** Lookup of offered models by id/alias, and the capabilities a node advertises for them. */
export class ModelCatalogue {
  private readonly byName = new Map<string, ModelConfig>();

  constructor(readonly models: readonly ModelConfig[]) {
    for (const m of models) for (const name of [m.id, ...m.aliases]) this.byName.set(name, m);
  }

  /** Every id and alias (lower-case, de-duplicated): `supported_model_ids`. */
  get advertisedIds(): string[] {
    return [...this.byName.keys()];
  }

  /**
   * Model for a requested id: exact id/alias (case-insensitive), else the public-catalogue alias
   * of §5.3 when this node offers the model it resolves to.
   */
  resolve(requested: string): ModelConfig | undefined {
    const name = requested.trim().toLowerCase();
    const direct = this.byName.get(name);
    if (direct) return direct;
    const target = REFERENCE_MODEL_ALIASES[name];
    return target ? this.byName.get(target) : undefined;
  }

  /** Node-wide tier: the smallest among models, so every advertised model can serve it. */
  get activeTier(): ContextTier {
    return this.models.reduce<ContextTier>(
      (tier, m) => (CONTEXT_TIERS[m.contextTier] < CONTEXT_TIERS[tier] ? m.contextTier : tier),
      '64k-full',
    );
  }

  get maximumContextTokens(): number {
    return Math.min(...this.models.map((m) => m.contextTokens));
  }

  get maximumOutputTokens(): number {
    return Math.min(...this.models.map((m) => m.maxOutputTokens));
  }

  get defaultOutputTokens(): number {
    return Math.min(this.maximumOutputTokens, ...this.models.map((m) => m.defaultOutputTokens));
  }
}
