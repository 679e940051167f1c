// `tokenplace-node --provider local`: which .gguf file to serve (--model-file, --models-dir), the
// checks that give a one-line answer for a wrong path, and loading it before the node registers.
import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { ModelLibrary, hasGgufMagic } from '../models';
import type { LocalModelOptions } from './cli-args';
import { ModelConfigError } from './errors';
import { createLocalProvider, isLocalEngineError, type LoadedModelInfo, type LocalProvider } from './providers/local';

async function kindOf(path: string): Promise<'file' | 'folder' | 'missing'> {
  const s = await stat(path).catch(() => undefined);
  return s === undefined ? 'missing' : s.isFile() ? 'file' : s.isDirectory() ? 'folder' : 'missing';
}

/** The model file: --model-file as given (a bare name inside --models-dir), else the folder's only model. */
export async function resolveLocalModelFile(o: LocalModelOptions): Promise<string> {
  const dir = o.modelsDir === undefined ? undefined : resolve(o.modelsDir);
  if (dir !== undefined && (await kindOf(dir)) !== 'folder') throw new ModelConfigError(`--models-dir ${o.modelsDir}: no such folder`);
  let path: string;
  if (o.modelFile !== undefined) {
    const bare = basename(o.modelFile) === o.modelFile;
    path = dir !== undefined && bare ? resolve(dir, o.modelFile) : resolve(o.modelFile);
  } else {
    const { models } = await new ModelLibrary({ dir: dir! }).list();
    if (models.length === 0) throw new ModelConfigError(`--models-dir ${o.modelsDir} holds no .gguf model; download one or pass --model-file PATH.gguf`);
    if (models.length > 1) {
      throw new ModelConfigError(`--models-dir ${o.modelsDir} holds ${models.length} models (${models.map((m) => m.fileName).join(', ')}); choose one with --model-file NAME`);
    }
    path = models[0]!.path;
  }
  const kind = await kindOf(path);
  if (kind === 'missing') throw new ModelConfigError(`model file not found: ${path}`);
  if (kind === 'folder') throw new ModelConfigError(`${path} is a folder; --model-file takes a .gguf file (or use --models-dir)`);
  if (!(await hasGgufMagic(path))) throw new ModelConfigError(`${path} is not a GGUF model file (it does not start with "GGUF"); choose a .gguf model`);
  return path;
}

/** One line for the log: what was loaded and how the engine sized itself. */
export function describeLoadedModel(info: LoadedModelInfo): string {
  const gpu = info.backend === 'cpu' ? 'CPU' : `${info.backend.toUpperCase()}${info.gpuDevices.length ? ` (${info.gpuDevices.join(', ')})` : ''}, ${info.gpuLayers} layers on the GPU`;
  return `loaded ${basename(info.path)}${info.name ? ` (${info.name})` : ''} in ${info.loadMs} ms: ${gpu}, ${info.threads} threads, context ${info.contextSize} tokens, chat template ${info.chatWrapper}`;
}

/** The provider with its model loaded; engine failures become one-line ModelConfigErrors. */
export async function openLocalProvider(o: LocalModelOptions, timeoutMs: number, log: (line: string) => void): Promise<{ provider: LocalProvider; info: LoadedModelInfo }> {
  const modelFile = await resolveLocalModelFile(o);
  const provider = createLocalProvider({
    modelFile,
    timeoutMs,
    ...(o.contextSize !== undefined && { contextSize: o.contextSize }),
    ...(o.threads !== undefined && { threads: o.threads }),
    log: (level, message) => log(`engine ${level}: ${message}`),
  });
  try {
    const info = await provider.load();
    return { provider, info };
  } catch (err) {
    await provider.close().catch(() => undefined);
    if (isLocalEngineError(err)) throw new ModelConfigError(`${basename(modelFile)}: ${err.message}`);
    throw err;
  }
}
