import { describe, expect, it } from 'vitest';
import { InnerOptionsSchema } from '../protocol/inner-envelope';
import { BUILT_IN_PRESETS, canContinue, ModelParamsSchema, PARAM_LIMITS, paramsInEffect, PresetSchema, wireOptionsOf } from './steer';

describe('steer vocabulary', () => {
  it('takes its ranges from the §2.3.1 option schema', () => {
    expect(PARAM_LIMITS.temperature).toMatchObject({ min: 0, max: 2 });
    expect(PARAM_LIMITS.topP).toMatchObject({ min: 0, max: 1 });
    expect(PARAM_LIMITS.maxTokens).toMatchObject({ min: 1, max: 8192 });
    expect(PARAM_LIMITS.seed).toMatchObject({ min: 0, max: 2 ** 32 - 1 });
    expect(PARAM_LIMITS.stop).toEqual({ maxItems: 16, maxChars: 256 });
  });

  it('refuses out-of-range values in words that name the parameter and its range', () => {
    const bad = ModelParamsSchema.safeParse({ temperature: 2.5 });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.message).toBe('Temperature must be from 0 to 2.');
    expect(ModelParamsSchema.safeParse({ maxTokens: 1.5 }).error?.issues[0]?.message).toBe('Max tokens must be a whole number from 1 to 8192.');
    expect(ModelParamsSchema.safeParse({ stop: [''] }).success).toBe(false);
    expect(ModelParamsSchema.safeParse({ stop: Array.from({ length: 17 }, () => 'x') }).success).toBe(false);
    expect(ModelParamsSchema.safeParse({ frequencyPenalty: 1 }).success).toBe(false);
  });

  it('merges a chat over its server defaults one name at a time and says where each value comes from', () => {
    const effect = paramsInEffect({ temperature: 0.5, maxTokens: 300 }, { temperature: 0.9, stop: [] });
    expect(effect.values).toEqual({ temperature: 0.9, maxTokens: 300 });
    expect(effect.source).toEqual({ temperature: 'chat', topP: 'node', maxTokens: 'server', seed: 'node', stop: 'node' });
  });

  it('turns parameters into the wire options the node accepts, and only those set', () => {
    expect(wireOptionsOf({})).toEqual({});
    const options = wireOptionsOf({ temperature: 0, topP: 1, maxTokens: 64, seed: 7, stop: ['END'] });
    expect(options).toEqual({ temperature: 0, top_p: 1, max_tokens: 64, seed: 7, stop: ['END'] });
    expect(InnerOptionsSchema.safeParse(options).success).toBe(true);
  });

  it('ships valid built-in presets with unique ids', () => {
    for (const p of BUILT_IN_PRESETS) expect(PresetSchema.parse(p)).toEqual(p);
    expect(new Set(BUILT_IN_PRESETS.map((p) => p.id)).size).toBe(BUILT_IN_PRESETS.length);
  });

  it('offers Continue for an answer cut at the output limit or stopped, not for a finished one', () => {
    const answer = { role: 'assistant', content: 'Once upon', status: 'complete' };
    expect(canContinue({ ...answer, meta: { finishReason: 'length' } })).toBe(true);
    expect(canContinue({ ...answer, status: 'stopped' })).toBe(true);
    expect(canContinue({ ...answer, meta: { finishReason: 'stop' } })).toBe(false);
    expect(canContinue({ ...answer, content: '', status: 'stopped' })).toBe(false);
    expect(canContinue({ ...answer, role: 'user', status: 'stopped' })).toBe(false);
  });
});
