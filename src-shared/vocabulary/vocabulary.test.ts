import { describe, expect, it } from 'vitest';
import { CONTEXT_TIERS } from '../protocol/constants';
import {
  ChatPhaseSchema,
  ComputeNodeStateSchema,
  CONTEXT_TIER_NAMES,
  ConversationRoleSchema,
  NodeHostStateSchema,
  PROGRESS_PHASES,
  SecretStorageSchema,
} from '.';

describe('vocabulary', () => {
  it('derives the wider sets from the narrower ones', () => {
    expect(NodeHostStateSchema.options).toEqual([...ComputeNodeStateSchema.options, 'crashed']);
    expect(ChatPhaseSchema.options.slice(-PROGRESS_PHASES.length)).toEqual(PROGRESS_PHASES);
    expect(ConversationRoleSchema.options).toEqual(['user', 'assistant']);
    expect(SecretStorageSchema.options).toEqual(['os', 'passphrase', 'locked']);
  });

  it('gives every context tier a window size, smallest first', () => {
    expect(Object.keys(CONTEXT_TIERS)).toEqual(CONTEXT_TIER_NAMES);
    const sizes = CONTEXT_TIER_NAMES.map((tier) => CONTEXT_TIERS[tier]);
    expect([...sizes].sort((a, b) => a - b)).toEqual(sizes);
  });

  it('refuses names outside a set with a message that lists the set', () => {
    const result = ComputeNodeStateSchema.safeParse('running');
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/starting.*registered.*serving/);
  });
});
