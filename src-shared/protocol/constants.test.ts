import { describe, expect, it } from 'vitest';
import { CONTEXT_TIER_NAMES } from '../vocabulary';
import { CONTEXT_TIERS, REFERENCE_MODEL_ALIASES } from './constants';

describe('lookup tables keyed by wire strings', () => {
  it('hold only their own entries (no inherited names such as "toString")', () => {
    expect(CONTEXT_TIER_NAMES).toEqual(['8k-fast', '64k-full']);
    expect(CONTEXT_TIERS['64k-full']).toBe(65536);
    expect(REFERENCE_MODEL_ALIASES['gpt-3.5-turbo']).toBe('qwen3-8b-instruct');
    for (const name of ['toString', 'constructor', '__proto__', 'hasOwnProperty']) {
      expect(name in CONTEXT_TIERS, name).toBe(false);
      expect((CONTEXT_TIERS as Record<string, unknown>)[name], name).toBeUndefined();
      expect(REFERENCE_MODEL_ALIASES[name], name).toBeUndefined();
    }
  });
});
