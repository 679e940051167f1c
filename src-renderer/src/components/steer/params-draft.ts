// A form's text for model parameters, and back: every field may be empty (not set), numbers are
// checked against the §2.3.1 ranges (PARAM_LIMITS) with words in the window's language.
import { ModelParamsSchema, PARAM_LIMITS, STEER_PARAM_NAMES, type ModelParams, type SteerParamName } from '../../../../src-shared/vocabulary/steer';
import { i18n } from '../../i18n';

export type ParamsDraft = Record<SteerParamName, string>;

export function draftOf(p: ModelParams | undefined): ParamsDraft {
  return {
    temperature: p?.temperature?.toString() ?? '',
    topP: p?.topP?.toString() ?? '',
    maxTokens: p?.maxTokens?.toString() ?? '',
    seed: p?.seed?.toString() ?? '',
    stop: p?.stop?.join('\n') ?? '',
  };
}

const NUMBERS = ['temperature', 'topP', 'maxTokens', 'seed'] as const;
const WHOLE = new Set<SteerParamName>(['maxTokens', 'seed']);

/** The parameters a draft sets, or why it cannot be saved (the first problem, in plain words). */
export function paramsOfDraft(d: ParamsDraft): { params: ModelParams } | { error: string } {
  const out: Record<string, unknown> = {};
  for (const name of NUMBERS) {
    const text = d[name].trim();
    if (!text) continue;
    const value = Number(text);
    const { min, max } = PARAM_LIMITS[name];
    const label = i18n.t(`steer:param.${name}`);
    if (!Number.isFinite(value) || value < min || value > max || (WHOLE.has(name) && !Number.isInteger(value))) {
      return { error: i18n.t(WHOLE.has(name) ? 'steer:error.wholeRange' : 'steer:error.range', { name: label, min, max }) };
    }
    out[name] = value;
  }
  const stop = d.stop.split('\n').filter((s) => s.length > 0);
  if (stop.length > PARAM_LIMITS.stop.maxItems) return { error: i18n.t('steer:error.stopCount', { max: PARAM_LIMITS.stop.maxItems }) };
  if (stop.some((s) => s.length > PARAM_LIMITS.stop.maxChars)) return { error: i18n.t('steer:error.stopLength', { max: PARAM_LIMITS.stop.maxChars }) };
  if (stop.length > 0) out.stop = stop;
  const parsed = ModelParamsSchema.safeParse(out);
  return parsed.success ? { params: parsed.data } : { error: i18n.t('steer:error.invalid') };
}

/** A value as a person reads it (stop sequences quoted). */
export function shownValue(name: SteerParamName, p: ModelParams): string | undefined {
  const v = p[name];
  if (v === undefined) return undefined;
  return Array.isArray(v) ? v.map((s) => JSON.stringify(s)).join(', ') : String(v);
}

export { STEER_PARAM_NAMES };
