// The fake api's Steer channels (presets:*, chat:params, chat:continue, servers:paramDefaults):
// the same pure rules the backend applies (src-shared/vocabulary/steer), kept in memory.
import type { Conversation, PresetList, TokenPlaceApi } from '../../src-shared/ipc/contract';
import { BUILT_IN_PRESETS, canContinue, compactParams, isBuiltInPresetId, type ModelParams, type Preset } from '../../src-shared/vocabulary/steer';

export interface FakeSteerState {
  presets: Preset[];
  defaultPresetId: string | null;
  serverDefaults: Map<string, ModelParams>;
}

type Track = <T>(channel: string, request: unknown, result: () => T) => Promise<T>;

export function emptyFakeSteer(): FakeSteerState {
  return { presets: [], defaultPresetId: null, serverDefaults: new Map() };
}

interface FakeSteerDeps {
  track: Track;
  conv(id: string): Conversation;
  create(): Conversation;
  nextId(): string;
  /** Marks an answer in flight again (Continue); the test finishes it with `answer()`. */
  resume(c: Conversation, answerId: string): void;
}

const coded = (message: string, code: string) => Object.assign(new Error(message), { code });

export function createFakeSteer(state: FakeSteerState, deps: FakeSteerDeps) {
  const { track, conv } = deps;
  const list = (): PresetList => ({ presets: structuredClone([...BUILT_IN_PRESETS, ...state.presets]), defaultPresetId: state.defaultPresetId });
  const find = (id: string) => {
    const p = [...BUILT_IN_PRESETS, ...state.presets].find((x) => x.id === id);
    if (!p) throw coded('That preset does not exist any more. Choose another one.', 'preset_not_found');
    return p;
  };
  const own = (id: string) => {
    if (isBuiltInPresetId(id)) throw coded('Built-in presets cannot be changed or deleted. Duplicate it and change the copy.', 'preset_read_only');
    const at = state.presets.findIndex((p) => p.id === id);
    if (at < 0) throw coded('That preset does not exist any more. Choose another one.', 'preset_not_found');
    return at;
  };
  const setParams = (c: Conversation, params: ModelParams | undefined) => {
    const p = compactParams(params);
    if (Object.keys(p).length > 0) c.params = p;
    else delete c.params;
  };
  const save = (r: { id?: string | undefined; name: string; systemPrompt: string; params: ModelParams }) => {
    const presetId = r.id ?? deps.nextId();
    const preset: Preset = { id: presetId, builtIn: false, name: r.name.trim(), systemPrompt: r.systemPrompt, params: compactParams(r.params) };
    if (r.id === undefined) state.presets.push(preset);
    else state.presets[own(r.id)] = preset;
    return { presetId, list: list() };
  };

  const presets: TokenPlaceApi['presets'] = {
    list: (r) => track('presets:list', r, list),
    save: (r) => track('presets:save', r, () => save(r)),
    duplicate: (r) =>
      track('presets:duplicate', r, () => {
        const p = find(r.id);
        return save({ name: r.name ?? `${p.name} (copy)`, systemPrompt: p.systemPrompt, params: p.params });
      }),
    delete: (r) =>
      track('presets:delete', r, () => {
        state.presets.splice(own(r.id), 1);
        if (state.defaultPresetId === r.id) state.defaultPresetId = null;
        return list();
      }),
    setDefault: (r) =>
      track('presets:setDefault', r, () => {
        if (r.id !== null) find(r.id);
        state.defaultPresetId = r.id;
        return list();
      }),
    apply: (r) =>
      track('presets:apply', r, () => {
        const p = find(r.presetId);
        const c = r.conversationId ? conv(r.conversationId) : deps.create();
        c.systemPrompt = p.systemPrompt;
        c.presetId = p.id;
        setParams(c, p.params);
        return structuredClone(c);
      }),
  };

  const chat: Pick<TokenPlaceApi['chat'], 'params' | 'continue'> = {
    params: (r) =>
      track('chat:params', r, () => {
        const c = conv(r.conversationId);
        setParams(c, r.params ?? undefined);
        return structuredClone(c);
      }),
    continue: (r) =>
      track('chat:continue', r, () => {
        const c = conv(r.conversationId);
        const last = c.messages.at(-1);
        if (!last || !canContinue(last)) throw coded('Only the last answer can be continued, once it stopped at its length limit or was stopped.', 'nothing_to_continue');
        c.messages[c.messages.length - 1] = { ...last, status: 'pending' };
        deps.resume(c, last.id);
        return { answerId: last.id };
      }),
  };

  const servers: Pick<TokenPlaceApi['servers'], 'paramDefaults' | 'setParamDefaults'> = {
    paramDefaults: (r) => track('servers:paramDefaults', r, () => structuredClone(state.serverDefaults.get(r.serverId) ?? {})),
    setParamDefaults: (r) =>
      track('servers:setParamDefaults', r, () => {
        const p = compactParams(r.params);
        if (Object.keys(p).length > 0) state.serverDefaults.set(r.serverId, p);
        else state.serverDefaults.delete(r.serverId);
        return structuredClone(p);
      }),
  };

  /** A new chat gets the default preset's prompt and parameters (conversations:create). */
  const applyDefault = (c: Conversation) => {
    const p = state.defaultPresetId ? [...BUILT_IN_PRESETS, ...state.presets].find((x) => x.id === state.defaultPresetId) : undefined;
    if (!p) return;
    c.systemPrompt = p.systemPrompt;
    c.presetId = p.id;
    setParams(c, p.params);
  };

  return { presets, chat, servers, applyDefault };
}
