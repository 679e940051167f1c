import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelConfigError } from './errors';
import { ModelCatalogue, loadModelConfigFile, loadModelConfigs } from './model-config';

describe('model configuration', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tp-models-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('applies defaults and lower-cases ids', () => {
    const [m] = loadModelConfigs([{ id: 'Qwen3-8B-Instruct', providerModel: 'qwen3:8b' }]);
    expect(m).toEqual({
      id: 'qwen3-8b-instruct',
      aliases: [],
      providerModel: 'qwen3:8b',
      contextTier: '8k-fast',
      contextTokens: 8192,
      maxOutputTokens: 8192,
      defaultOutputTokens: 1024,
      thinkOutput: 'strip',
      injectNoThink: true,
    });
    expect(loadModelConfigs([{ id: 'a', providerModel: 'llama3.1:8b' }])[0]?.injectNoThink).toBe(false);
    expect(loadModelConfigs([{ id: 'a', providerModel: 'qwen3:8b', injectNoThink: false }])[0]?.injectNoThink).toBe(false);
  });

  it('accepts { models: [...] }', () => {
    expect(loadModelConfigs({ models: [{ id: 'a', providerModel: 'a' }] })).toHaveLength(1);
  });

  it.each([
    [[], 'at least one model'],
    [[{ id: '', providerModel: 'x' }], 'id: must not be empty'],
    [[{ id: 'a' }], 'providerModel'],
    [[{ id: 'a', providerModel: 'x', contextTier: '128k' }], 'contextTier'],
    [[{ id: 'a', providerModel: 'x', contextTier: '64k-full', contextTokens: 9000 }], 'contextTokens: must be at least 65536'],
    [[{ id: 'a', providerModel: 'x', maxOutputTokens: 100, defaultOutputTokens: 200 }], 'defaultOutputTokens: must not exceed maxOutputTokens'],
    [[{ id: 'a', providerModel: 'x', colour: 'red' }], 'colour'],
    [[{ id: 'a', providerModel: 'x' }, { id: 'b', providerModel: 'y', aliases: ['A'] }], 'alias "a" is also used by model 0'],
    [{ models: 'x' }, 'models'],
  ])('refuses %j with a clear message', (input, text) => {
    expect(() => loadModelConfigs(input)).toThrow(ModelConfigError);
    expect(() => loadModelConfigs(input)).toThrow(text);
  });

  it('loads a JSON file and reports bad JSON and missing files', async () => {
    const good = join(dir, 'good.json');
    await writeFile(good, JSON.stringify([{ id: 'a', providerModel: 'b', aliases: ['c'] }]));
    expect((await loadModelConfigFile(good))[0]?.aliases).toEqual(['c']);
    const bad = join(dir, 'bad.json');
    await writeFile(bad, '{nope');
    await expect(loadModelConfigFile(bad)).rejects.toThrow(/not valid JSON/);
    await expect(loadModelConfigFile(join(dir, 'missing.json'))).rejects.toThrow(/ENOENT/);
  });

  it('resolves ids, aliases and the public-catalogue aliases, and derives capabilities', () => {
    const cat = new ModelCatalogue(
      loadModelConfigs([
        { id: 'qwen3-8b-instruct', providerModel: 'qwen3:8b', aliases: ['qwen'], contextTier: '64k-full', maxOutputTokens: 4096 },
        { id: 'small', providerModel: 's', contextTokens: 16384, defaultOutputTokens: 512 },
      ]),
    );
    expect(cat.resolve('QWEN')?.providerModel).toBe('qwen3:8b');
    expect(cat.resolve('gpt-3.5-turbo')?.id).toBe('qwen3-8b-instruct');
    expect(cat.resolve('unknown')).toBeUndefined();
    expect(cat.advertisedIds).toEqual(['qwen3-8b-instruct', 'qwen', 'small']);
    expect(cat.activeTier).toBe('8k-fast');
    expect(cat.maximumContextTokens).toBe(16384);
    expect(cat.maximumOutputTokens).toBe(4096);
    expect(cat.defaultOutputTokens).toBe(512);
  });
});
