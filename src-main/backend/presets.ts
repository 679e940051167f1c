// presets:*, servers:paramDefaults, chat:params — Steer (issue 14). The user's presets, the default
// preset for new chats and every server's parameter defaults live in one sealed record of the
// RecordStore (like the workspace records: encrypted with the data key, written before it is
// answered, one write at a time). Built-in presets come from src-shared and are never stored.
// What a chat sends is worked out here too (requestOptions): its own values over its server's
// defaults, and only the options that are set (docs/protocol.md §2.3.1).
import { z } from 'zod';
import type { Conversation, InvokeReply, PresetList } from '../../src-shared/ipc/contract';
import type { EffectiveOptions } from '../../src-shared/protocol/inner-envelope';
import {
  BUILT_IN_PRESETS,
  compactParams,
  isBuiltInPresetId,
  ModelParamsSchema,
  paramsInEffect,
  PresetSchema,
  wireOptionsOf,
  type ModelParams,
  type Preset,
  type PresetInput,
} from '../../src-shared/vocabulary/steer';
import { KeyedLock, NewerFileVersionError, newId, type RecordStore } from '../storage';
import type { Conversations } from './conversations';
import { PresetNotFoundError, PresetReadOnlyError } from './errors';

export const STEER_RECORD = 'steer';
const FORMAT_VERSION = 1;

const StoredSteerSchema = z.object({
  version: z.number().int().positive(),
  presets: z.array(PresetSchema),
  defaultPresetId: z.string().min(1).max(128).nullable(),
  serverDefaults: z.record(z.string().min(1).max(128), ModelParamsSchema),
});
type StoredSteer = z.infer<typeof StoredSteerSchema>;

const EMPTY: StoredSteer = { version: FORMAT_VERSION, presets: [], defaultPresetId: null, serverDefaults: {} };

export class Presets {
  private readonly lock = new KeyedLock();

  private constructor(
    private readonly records: RecordStore,
    private state: StoredSteer,
    private readonly conversations: Conversations,
  ) {}

  static async open(records: RecordStore, conversations: Conversations): Promise<Presets> {
    const stored = await records.read(STEER_RECORD, StoredSteerSchema);
    if (stored && stored.version > FORMAT_VERSION) throw new NewerFileVersionError('preset list');
    return new Presets(records, stored ?? EMPTY, conversations);
  }

  /** Applies `change` to a copy of the record, stores it and keeps it. */
  private change(change: (s: StoredSteer) => void): Promise<StoredSteer> {
    return this.lock.run(STEER_RECORD, async () => {
      const next = structuredClone(this.state);
      change(next);
      await this.records.write(STEER_RECORD, next);
      this.state = next;
      return next;
    });
  }

  list(): PresetList {
    const presets = [...BUILT_IN_PRESETS.map((p) => structuredClone(p)), ...structuredClone(this.state.presets)];
    const defaultPresetId = this.state.defaultPresetId && presets.some((p) => p.id === this.state.defaultPresetId) ? this.state.defaultPresetId : null;
    return { presets, defaultPresetId };
  }

  private find(id: string): Preset {
    const preset = this.list().presets.find((p) => p.id === id);
    if (!preset) throw new PresetNotFoundError();
    return preset;
  }

  private ownIndex(s: StoredSteer, id: string): number {
    if (isBuiltInPresetId(id)) throw new PresetReadOnlyError();
    const at = s.presets.findIndex((p) => p.id === id);
    if (at < 0) throw new PresetNotFoundError();
    return at;
  }

  async save(input: PresetInput & { id?: string | undefined }): Promise<InvokeReply<'presets:save'>> {
    const presetId = input.id ?? newId();
    const preset: Preset = { id: presetId, builtIn: false, name: input.name, systemPrompt: input.systemPrompt, params: compactParams(input.params) };
    await this.change((s) => {
      if (input.id === undefined) s.presets.push(preset);
      else s.presets[this.ownIndex(s, input.id)] = preset;
    });
    return { presetId, list: this.list() };
  }

  /** A copy of any preset as one of the user's; a name already taken gets a number (`… 2`). */
  async duplicate(id: string, copyName?: string): Promise<InvokeReply<'presets:duplicate'>> {
    const source = this.find(id);
    const names = new Set(this.list().presets.map((p) => p.name));
    const base = (copyName ?? `${source.name} (copy)`).slice(0, 76);
    let name = base;
    for (let n = 2; names.has(name); n += 1) name = `${base} ${n}`;
    return this.save({ name, systemPrompt: source.systemPrompt, params: source.params });
  }

  async delete(id: string): Promise<PresetList> {
    await this.change((s) => {
      s.presets.splice(this.ownIndex(s, id), 1);
      if (s.defaultPresetId === id) s.defaultPresetId = null;
    });
    return this.list();
  }

  async setDefault(id: string | null): Promise<PresetList> {
    if (id !== null) this.find(id);
    await this.change((s) => void (s.defaultPresetId = id));
    return this.list();
  }

  /** The preset's system prompt and parameters become the chat's (a new chat when none is named). */
  async apply(presetId: string, conversationId?: string): Promise<Conversation> {
    const preset = this.find(presetId);
    const id = conversationId ?? (await this.conversations.create({})).id;
    return this.conversations.mutate(
      id,
      (c) => {
        c.systemPrompt = preset.systemPrompt;
        c.presetId = preset.id;
        const params = compactParams(preset.params);
        if (Object.keys(params).length > 0) c.params = params;
        else delete c.params;
      },
      conversationId === undefined,
    );
  }

  /** A new chat: the default preset's prompt and parameters, when one is set and the request names no prompt. */
  async create(req: { title?: string | undefined; systemPrompt?: string | undefined }): Promise<Conversation> {
    const created = await this.conversations.create(req);
    const preset = this.list().defaultPresetId;
    if (!preset || req.systemPrompt !== undefined) return created;
    const applied = await this.apply(preset, created.id);
    return applied;
  }

  /** Sets a chat's own parameters; null (or nothing set) goes back to its server's defaults. */
  setChatParams(conversationId: string, params: ModelParams | null): Promise<Conversation> {
    const own = compactParams(params ?? {});
    return this.conversations.mutate(
      conversationId,
      (c) => {
        if (Object.keys(own).length > 0) c.params = own;
        else delete c.params;
      },
      false,
    );
  }

  serverDefaults(serverId: string): ModelParams {
    return structuredClone(this.state.serverDefaults[serverId] ?? {});
  }

  async setServerDefaults(serverId: string, params: ModelParams): Promise<ModelParams> {
    const own = compactParams(params);
    await this.change((s) => {
      if (Object.keys(own).length > 0) s.serverDefaults[serverId] = own;
      else delete s.serverDefaults[serverId];
    });
    return this.serverDefaults(serverId);
  }

  /** A server was removed: its defaults go with it. */
  async forgetServer(serverId: string): Promise<void> {
    if (this.state.serverDefaults[serverId]) await this.change((s) => void delete s.serverDefaults[serverId]);
  }

  /** The §2.3.1 options a chat's request carries on this server: only those the user set. */
  requestOptions(conversation: Pick<Conversation, 'params'>, serverId: string | undefined): EffectiveOptions {
    const defaults = serverId === undefined ? undefined : this.state.serverDefaults[serverId];
    return wireOptionsOf(paramsInEffect(defaults, conversation.params).values);
  }

  flush(): Promise<void> {
    return this.lock.run(STEER_RECORD, async () => undefined);
  }
}
