import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration } from './units';

describe('units', () => {
  it('formats sizes in powers of 1000', () => {
    expect(formatBytes(512)).toBe('512 bytes');
    expect(formatBytes(397_808_192)).toBe('398 MB');
    expect(formatBytes(2_019_377_696)).toBe('2.0 GB');
  });
  it('formats a time left, rounded up', () => {
    expect(formatDuration(0.2)).toBe('1 s');
    expect(formatDuration(61)).toBe('2 min');
    expect(formatDuration(3600 + 300)).toBe('1 h 5 min');
    expect(formatDuration(7200)).toBe('2 h');
  });
});
