// Steer (issue 14): the model parameters a chat may set, the presets ("assistants") that bundle a
// system prompt with parameters, and when an answer can be continued. Declared once here: the
// IPC contract, the backend and the renderer's form all take names, ranges and limits from this file.
//
// The ranges are the node's own (docs/protocol.md §2.3.1 step 6): each parameter's schema is taken
// from the inner request's InnerOptionsSchema, so the window refuses exactly what a node would.
// Not re-exported from ./index: protocol/inner-envelope imports the vocabulary itself.
import { z } from 'zod';
import { INNER_REQUEST_LIMITS } from '../protocol/constants';
import { InnerOptionsSchema, type EffectiveOptions } from '../protocol/inner-envelope';

const wire = InnerOptionsSchema.shape;
/** An option's value schema without the `.nullish()` the wire allows. */
const valueOf = <T extends z.ZodType>(s: z.ZodOptional<z.ZodNullable<T>>): T => s.unwrap().unwrap();

const temperature = valueOf(wire.temperature);
const topP = valueOf(wire.top_p);
const maxTokens = valueOf(wire.max_tokens);
const seed = valueOf(wire.seed);

/** The parameters of issue 14, in the order a form shows them. */
export const STEER_PARAM_NAMES = ['temperature', 'topP', 'maxTokens', 'seed', 'stop'] as const;
export type SteerParamName = (typeof STEER_PARAM_NAMES)[number];

/** Each parameter's §2.3.1 option key: what the node receives. */
export const WIRE_OPTION_OF = {
  temperature: 'temperature',
  topP: 'top_p',
  maxTokens: 'max_tokens',
  seed: 'seed',
  stop: 'stop',
} as const satisfies Record<SteerParamName, keyof EffectiveOptions>;

interface NumberRange {
  min: number;
  max: number;
  /** The form's step (whole numbers for integers). */
  step: number;
}

const rangeOf = (s: z.ZodNumber, step: number): NumberRange => ({ min: s.minValue ?? 0, max: s.maxValue ?? 0, step });

/** What the form offers and the contract checks, read from the wire schemas above (never typed twice). */
export const PARAM_LIMITS = {
  temperature: rangeOf(temperature, 0.05),
  topP: rangeOf(topP, 0.05),
  maxTokens: rangeOf(maxTokens, 1),
  seed: rangeOf(seed, 1),
  stop: { maxItems: INNER_REQUEST_LIMITS.maxStopItems, maxChars: INNER_REQUEST_LIMITS.maxStopChars },
} as const;

/** A number in its §2.3.1 range, refused in words that name the parameter and the range. */
function inRange(label: string, r: NumberRange, integer: boolean) {
  const words = `${label} must be ${integer ? 'a whole number ' : ''}from ${r.min} to ${r.max}.`;
  return (integer ? z.int(words) : z.number(words)).min(r.min, words).max(r.max, words);
}

/**
 * Parameters a chat (or a server's defaults, or a preset) sets. An absent name is not set: the
 * next level decides (chat → server defaults → the node's own default); an empty `stop` list is
 * the same as none.
 */
export const ModelParamsSchema = z.strictObject({
  temperature: inRange('Temperature', PARAM_LIMITS.temperature, false).optional(),
  topP: inRange('Top P', PARAM_LIMITS.topP, false).optional(),
  maxTokens: inRange('Max tokens', PARAM_LIMITS.maxTokens, true).optional(),
  seed: inRange('Seed', PARAM_LIMITS.seed, true).optional(),
  stop: z
    .array(
      z
        .string()
        .min(1, 'A stop sequence cannot be empty.')
        .max(PARAM_LIMITS.stop.maxChars, `A stop sequence is at most ${PARAM_LIMITS.stop.maxChars} characters.`),
    )
    .max(PARAM_LIMITS.stop.maxItems, `At most ${PARAM_LIMITS.stop.maxItems} stop sequences.`)
    .optional(),
});
export type ModelParams = z.infer<typeof ModelParamsSchema>;

/** Where a value in effect comes from. */
export const ParamSourceSchema = z.enum(['chat', 'server', 'node']);
export type ParamSource = z.infer<typeof ParamSourceSchema>;

export interface ParamsInEffect {
  /** The values sent (absent: not sent, the node decides). */
  values: ModelParams;
  source: Record<SteerParamName, ParamSource>;
}

/** Only the names that hold a value (a form's cleared field is not a value). */
export function compactParams(params: ModelParams | undefined): ModelParams {
  const out: Record<string, unknown> = {};
  for (const name of STEER_PARAM_NAMES) {
    const v = params?.[name];
    if (v !== undefined && !(Array.isArray(v) && v.length === 0)) out[name] = v;
  }
  return out as ModelParams;
}

/** A chat's own values override its server's defaults, one name at a time. */
export function paramsInEffect(serverDefaults: ModelParams | undefined, chat: ModelParams | undefined): ParamsInEffect {
  const own = compactParams(chat);
  const defaults = compactParams(serverDefaults);
  const values: Record<string, unknown> = {};
  const source = {} as Record<SteerParamName, ParamSource>;
  for (const name of STEER_PARAM_NAMES) {
    if (own[name] !== undefined) {
      values[name] = own[name];
      source[name] = 'chat';
    } else if (defaults[name] !== undefined) {
      values[name] = defaults[name];
      source[name] = 'server';
    } else source[name] = 'node';
  }
  return { values: values as ModelParams, source };
}

/** The §2.3.1 `options` for these values: only the options set (the protocol's rule), nothing else. */
export function wireOptionsOf(params: ModelParams): EffectiveOptions {
  const out: Record<string, unknown> = {};
  for (const name of STEER_PARAM_NAMES) {
    const v = params[name];
    if (v !== undefined) out[WIRE_OPTION_OF[name]] = v;
  }
  return out as EffectiveOptions;
}

// ---------------------------------------------------------------- presets

export const PRESET_NAME_MAX = 80;
export const SYSTEM_PROMPT_MAX = 32_768;

export const PresetNameSchema = z
  .string()
  .trim()
  .min(1, 'Give the preset a name.')
  .max(PRESET_NAME_MAX, `A preset name is at most ${PRESET_NAME_MAX} characters.`);

/** What a person writes for a preset. */
export const PresetInputSchema = z.strictObject({
  name: PresetNameSchema,
  systemPrompt: z.string().max(SYSTEM_PROMPT_MAX),
  params: ModelParamsSchema,
});
export type PresetInput = z.infer<typeof PresetInputSchema>;

export const PresetSchema = PresetInputSchema.extend({
  id: z.string().min(1).max(128),
  /** Built-in presets come with the app: they can be applied and duplicated, not changed. */
  builtIn: z.boolean(),
});
export type Preset = z.infer<typeof PresetSchema>;

/**
 * The built-in set. Their names are shown translated (the renderer's `steer:builtin.<id>`); the
 * system prompts are instructions to the model and stay as written.
 */
export const BUILT_IN_PRESETS: readonly Preset[] = [
  { id: 'builtin-balanced', builtIn: true, name: 'Balanced', systemPrompt: '', params: {} },
  {
    id: 'builtin-precise',
    builtIn: true,
    name: 'Precise',
    systemPrompt: 'Answer accurately and concisely. Say so when you are not sure.',
    params: { temperature: 0.2, topP: 0.9 },
  },
  {
    id: 'builtin-creative',
    builtIn: true,
    name: 'Creative writer',
    systemPrompt: 'You are a creative writing partner. Offer vivid, original ideas and varied wording.',
    params: { temperature: 1.1, topP: 0.95 },
  },
  {
    id: 'builtin-coder',
    builtIn: true,
    name: 'Code helper',
    systemPrompt: 'You are a careful programming assistant. Answer with working code in fenced blocks and explain briefly.',
    params: { temperature: 0.3, maxTokens: 2048 },
  },
];

export function isBuiltInPresetId(id: string): boolean {
  return BUILT_IN_PRESETS.some((p) => p.id === id);
}

// ---------------------------------------------------------------- continue (§2.3.5)

/** The `finish_reason` of an answer that stopped at its output budget (§2.3.2, OpenAI vocabulary). */
export const OUTPUT_LIMIT_FINISH_REASON = 'length';

/**
 * An answer Continue can extend (docs/protocol.md §2.3.5): text that stopped at the output limit,
 * or that the user stopped.
 */
export function canContinue(m: { role: string; status: string; content: string; meta?: { finishReason?: string } | undefined }): boolean {
  if (m.role !== 'assistant' || m.content.length === 0) return false;
  return (m.status === 'complete' && m.meta?.finishReason === OUTPUT_LIMIT_FINISH_REASON) || m.status === 'stopped';
}
