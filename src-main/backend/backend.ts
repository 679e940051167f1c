// createBackend: the plain-Node service behind the IPC contract, and its edge. Every request is
// parsed here with the contract schema (nowhere else) before a handler runs and every reply is
// checked after; handlers throw domain errors and invoke() maps them, once, to an IpcError
// {code, message} in plain words. Used by the Electron main process and the e2e test bridge.
import { join } from 'node:path';
import { z } from 'zod';
import {
  eventChannels,
  invokeChannels,
  SettingsSchema,
  type EventChannel,
  type EventPayload,
  type InvokeChannel,
  type InvokeReply,
  type IpcResult,
  type Settings,
} from '../../src-shared/ipc/contract';
import { LAUNCH_SECRET_HEADER } from '../../src-shared/protocol/relay-http';
import { ChatService, ProfilesStore, type JsonStorage } from '../client';
import { CURATED_MODELS } from '../models';
import {
  ConversationStore,
  DATA_KEY_SECRET,
  loadOrCreateDataKey,
  openPassphraseSecretStore,
  RecordStore,
  WorkspaceStore,
  type SecretStore,
} from '../storage';
import { Chat } from './chat';
import { ChatFiles } from './chat-files';
import { Conversations } from './conversations';
import { DEFAULT_DETECT_TARGETS, detectProviders } from './detect-providers';
import { EmbeddedRelay } from './embedded-relay';
import {
  AnswerInProgressError,
  AppLockedError,
  BackendClosedError,
  BadRequestError,
  describeZodError,
  IpcFailure,
  ReplyOutsideContractError,
  requestNotValid,
  toIpcError,
} from './errors';
import { Gateway } from './gateway';
import { LocalNode } from './local-node';
import { Models } from './models';
import { NodeConfirmations } from './node-confirmations';
import { Presets } from './presets';
import { Servers } from './servers';
import type { Backend, BackendDeps } from './types';
import { WorkspaceService } from './workspace';

type ParsedRequest<C extends InvokeChannel> = z.output<(typeof invokeChannels)[C]['request']>;
type Handlers = { [C in InvokeChannel]: (request: ParsedRequest<C>) => Promise<InvokeReply<C>> };

const DEFAULT_SETTINGS: Settings = { theme: 'system', fontSize: 14 };
const OPEN_WHILE_LOCKED = new Set<string>(['app:info', 'app:unlock', 'shell:openExternal']);
const OK = { ok: true as const };

/** A RecordStore record seen as the client's JsonStorage (server profiles). */
function recordStorage(records: RecordStore, name: string): JsonStorage {
  return {
    // The ProfilesStore validates what it loads itself.
    load: () => records.read(name, z.unknown()),
    save: (value) => records.write(name, value),
  };
}

/** Everything that needs the data key; exists once the SecretStore is open. */
interface Unlocked {
  secrets: SecretStore;
  firstRun: boolean;
  records: RecordStore;
  conversations: Conversations;
  /** Organise: one chat's export and import. */
  chatFiles: ChatFiles;
  chatService: ChatService;
  confirmations: NodeConfirmations;
  chat: Chat;
  servers: Servers;
  relay: EmbeddedRelay;
  node: LocalNode;
  models: Models;
  gateway: Gateway;
  workspace: WorkspaceService;
  /** Steer: presets, server parameter defaults, a chat's own parameters. */
  presets: Presets;
}

export async function createBackend(deps: BackendDeps): Promise<Backend> {
  const now = deps.now ?? Date.now;
  const fetchImpl = deps.fetch ?? fetch;
  const backoff = deps.restartBackoffMs ?? { initial: 500, max: 30_000 };
  const log = deps.log ?? (() => undefined);
  let unlocked: Unlocked | null = null;
  let unlocking: Promise<Unlocked> | null = null;
  let closed = false;

  const emit = <C extends EventChannel>(channel: C, payload: EventPayload<C>): void => {
    if (closed) return;
    const checked = eventChannels[channel].safeParse(payload);
    if (!checked.success) {
      log(`event ${channel} dropped: ${describeZodError(checked.error)}`);
      return;
    }
    try {
      deps.emit(channel, checked.data as EventPayload<C>);
    } catch {
      log(`event ${channel}: listener failed`);
    }
  };

  async function open(secrets: SecretStore): Promise<Unlocked> {
    const firstRun = (await secrets.get(DATA_KEY_SECRET)) === null;
    const key = await loadOrCreateDataKey(secrets);
    const store = await ConversationStore.open(join(deps.dataDir, 'conversations'), key);
    void store.warmSearch().catch(() => undefined);
    const records = await RecordStore.open(join(deps.dataDir, 'records'), key);
    const profiles = await ProfilesStore.open({ storage: recordStorage(records, 'servers'), secrets, now });
    const confirmations = new NodeConfirmations((e) => emit('events:trust', e), now);
    const relay = new EmbeddedRelay(deps.relayHost, records, (s) => emit('events:relay', s), backoff);
    const node = new LocalNode(deps.nodeHost, records, secrets, () => relay.access(), (s) => emit('events:node', s), backoff);
    const chatService = new ChatService({
      profiles,
      embeddedRelayHeaders: { [LAUNCH_SECRET_HEADER]: deps.relayHost.launchSecret },
      ...(deps.fetch && { fetch: deps.fetch }),
      ...(deps.relayClient && { client: deps.relayClient }),
      confirmNode: confirmations.ask,
      // This computer's own node: its key comes from the app itself, not from a relay.
      ownNodeFingerprints: () => {
        const own = node.status().fingerprint;
        return own ? [own] : [];
      },
    });
    const conversations = new Conversations(store, now);
    const workspace = new WorkspaceService(await WorkspaceStore.open(records), () => conversations.list().map((c) => c.id), now);
    const chatFiles = new ChatFiles(conversations, deps, now);
    const servers = new Servers(profiles, chatService, (list) => emit('events:servers', list), fetchImpl);
    const presets = await Presets.open(records, conversations);
    const chat = new Chat(
      conversations,
      chatService,
      (e) => emit('events:chat', e),
      now,
      () => servers.defaultModel(),
      (c) => presets.requestOptions(c, profiles.active().id),
    );
    const gateway = new Gateway(chatService, records, secrets);
    const models = new Models({
      dir: join(deps.dataDir, 'models'),
      catalogue: deps.modelCatalogue ?? CURATED_MODELS,
      ...(deps.chooseModelFile && { chooseModelFile: deps.chooseModelFile }),
      ...deps.modelDownloads,
      emit: (e) => emit('events:models', e),
      servedFile: () => {
        const config = node.status().config;
        return config?.provider === 'local' ? config.modelFile : undefined;
      },
      // A new model keeps the engine sizing the user chose for the last one.
      serve: (modelFile, model) => {
        const c = node.status().config;
        const sizing = c?.provider === 'local' ? { ...(c.contextSize !== undefined && { contextSize: c.contextSize }), ...(c.threads !== undefined && { threads: c.threads }) } : {};
        return node.configure({ provider: 'local', model, modelFile, ...sizing });
      },
    });
    await relay.load();
    await node.load();
    // Nodes attaching or leaving change the relay's node count: refresh it for the UI.
    deps.nodeHost.onStatus(() => {
      if (relay.url()) void relay.status().then((s) => emit('events:relay', s), () => undefined);
    });
    relay.onUrl((url) => {
      profiles.setEmbeddedUrl(url);
      void node.relayChanged(url).catch(() => undefined);
    });
    const ready: Unlocked = { secrets, firstRun, records, conversations, chatFiles, chatService, confirmations, chat, servers, relay, node, models, gateway, workspace, presets };
    if (deps.autoStart ?? true) {
      await relay.startIfEnabled();
      await node.startIfEnabled();
      await gateway.startIfEnabled().catch(() => undefined);
    }
    return ready;
  }

  async function unlock(secrets: SecretStore): Promise<Unlocked> {
    unlocking ??= open(secrets).then(
      (u) => (unlocked = u),
      (error: unknown) => {
        unlocking = null;
        throw error;
      },
    );
    return unlocking;
  }

  if (deps.secrets) await unlock(deps.secrets);

  const need = (): Unlocked => {
    if (!unlocked) throw new AppLockedError();
    return unlocked;
  };

  const handlers: Handlers = {
    'app:info': async () => ({
      version: deps.version ?? '0.1.0',
      platform: deps.platform ?? process.platform,
      secretStorage: unlocked ? unlocked.secrets.kind : 'locked',
      firstRun: unlocked?.firstRun ?? false,
    }),
    'app:unlock': async ({ passphrase }) => {
      if (unlocked) return OK;
      const opener = deps.unlockSecrets ?? ((p: string) => openPassphraseSecretStore(join(deps.dataDir, 'secrets.json'), p));
      await unlock(await opener(passphrase));
      return OK;
    },

    'conversations:list': async () => need().conversations.list(),
    'conversations:get': async ({ id }) => need().chat.load(id),
    // Steer: a new chat starts with the default preset, if one is set.
    'conversations:create': async (req) => need().presets.create(req),
    'conversations:rename': async (req) => need().conversations.rename(req),
    'conversations:update': async (req) => need().conversations.update(req),
    'conversations:delete': async ({ id }) => {
      const u = need();
      await u.chat.stop(id);
      await u.conversations.delete(id);
      await u.workspace.forget(id);
      return OK;
    },
    'conversations:restore': async ({ id }) => need().conversations.restore(id),
    'conversations:search': async ({ query }) => need().conversations.search(query),
    'conversations:export': async (req) => need().conversations.export(req),
    'conversations:import': async (req) => ({ imported: await need().conversations.import(req) }),
    'conversations:clear': async () => {
      const u = need();
      await u.chat.close();
      await u.conversations.clear();
      await u.workspace.forgetAll();
      return OK;
    },
    // Organise (issue 14): neither changes a conversation whose answer is on its way.
    'conversations:showVersion': async ({ id, messageId }) => {
      const u = need();
      if (u.chat.isRunning(id)) throw new AnswerInProgressError();
      return u.conversations.showVersion(id, messageId);
    },
    'conversations:deleteMessage': async ({ id, messageId }) => {
      const u = need();
      if (u.chat.isRunning(id)) throw new AnswerInProgressError();
      return u.conversations.deleteMessage(id, messageId);
    },
    'conversations:exportChat': async ({ id, format }) => need().chatFiles.export(id, format),
    'conversations:markdown': async ({ id }) => ({ content: await need().chatFiles.markdown(id) }),
    'conversations:importChat': async () => need().chatFiles.import(),

    'chat:send': async ({ conversationId, content, attachments }) => need().chat.send(conversationId, content, attachments),
    'chat:stop': async ({ conversationId }) => ({ stopped: await need().chat.stop(conversationId) }),
    'chat:regenerate': async ({ conversationId }) => need().chat.regenerate(conversationId),
    'chat:edit': async ({ conversationId, messageId, content }) => need().chat.edit(conversationId, messageId, content),
    'chat:models': async () => {
      const { servers } = need();
      const models = await servers.activeModels();
      return { models, contextTiers: await servers.activeContextTiers(models) };
    },
    'chat:params': async ({ conversationId, params }) => need().presets.setChatParams(conversationId, params),
    'chat:continue': async ({ conversationId }) => need().chat.continue(conversationId),

    'servers:list': async () => need().servers.list(),
    'servers:add': async (req) => need().servers.add(req),
    'servers:update': async (req) => need().servers.update(req),
    'servers:remove': async ({ id }) => {
      await need().servers.remove(id);
      await need().presets.forgetServer(id);
      return OK;
    },
    'servers:activate': async ({ id }) => need().servers.activate(id),
    'servers:probe': async ({ id }) => need().servers.probe(id),
    'servers:trustNode': async (req) => need().servers.trustNode(req),
    'servers:untrustNode': async (req) => need().servers.untrustNode(req),
    'servers:setTrustPolicy': async (req) => need().servers.setTrustPolicy(req),
    'servers:paramDefaults': async ({ serverId }) => need().presets.serverDefaults(need().servers.known(serverId)),
    'servers:setParamDefaults': async ({ serverId, params }) => need().presets.setServerDefaults(need().servers.known(serverId), params),

    'trust:pending': async () => need().confirmations.pending(),
    'trust:answer': async ({ id, decision }) => {
      need().confirmations.answer(id, decision);
      return OK;
    },

    'relay:status': async () => need().relay.status(),
    'relay:setEnabled': async ({ enabled }) => need().relay.setEnabled(enabled),

    'node:status': async () => need().node.status(),
    'node:configure': async (req) => need().node.configure(req),
    'node:start': async () => need().node.start(),
    'node:stop': async () => need().node.stop(),
    'node:detect': async () => detectProviders(deps.detectTargets ?? DEFAULT_DETECT_TARGETS, fetchImpl, deps.detectTimeoutMs ?? 800),

    'models:list': async () => need().models.list(),
    'models:download': async ({ fileName }) => need().models.download(fileName),
    'models:addFromUrl': async ({ url, sha256 }) => need().models.addFromUrl(url, sha256),
    'models:pause': async ({ fileName }) => need().models.pause(fileName),
    'models:resume': async ({ fileName }) => need().models.resume(fileName),
    'models:cancel': async ({ fileName }) => need().models.cancel(fileName),
    'models:import': async () => need().models.importFile(),
    'models:delete': async ({ fileName }) => need().models.delete(fileName),
    'models:use': async ({ fileName }) => need().models.use(fileName),

    'settings:get': async () => (await need().records.read('settings', SettingsSchema)) ?? DEFAULT_SETTINGS,
    'settings:update': async (patch) => {
      const u = need();
      const next = SettingsSchema.parse({ ...((await u.records.read('settings', SettingsSchema)) ?? DEFAULT_SETTINGS), ...patch });
      await u.records.write('settings', next);
      return next;
    },

    'gateway:status': async () => need().gateway.status(),
    'gateway:setEnabled': async ({ enabled }) => need().gateway.setEnabled(enabled),

    // The sidebar's organisation and the drafts (issue 14).
    'workspace:get': async () => need().workspace.get(),
    'workspace:createFolder': async ({ name }) => need().workspace.createFolder(name),
    'workspace:renameFolder': async ({ folderId, name }) => need().workspace.renameFolder(folderId, name),
    'workspace:deleteFolder': async ({ folderId }) => need().workspace.deleteFolder(folderId),
    'workspace:setCollapsed': async ({ folderId, collapsed }) => need().workspace.setCollapsed(folderId, collapsed),
    'workspace:move': async ({ conversationId, folderId }) => need().workspace.move(conversationId, folderId),
    'workspace:setPinned': async ({ conversationId, pinned }) => need().workspace.setPinned(conversationId, pinned),
    'workspace:setSort': async ({ sort }) => need().workspace.setSort(sort),
    'workspace:drafts': async () => need().workspace.drafts(),
    'workspace:saveDraft': async ({ conversationId, text }) => {
      await need().workspace.saveDraft(conversationId, text);
      return OK;
    },

    'presets:list': async () => need().presets.list(),
    'presets:save': async (req) => need().presets.save(req),
    'presets:duplicate': async ({ id, name }) => need().presets.duplicate(id, name),
    'presets:delete': async ({ id }) => need().presets.delete(id),
    'presets:setDefault': async ({ id }) => need().presets.setDefault(id),
    'presets:apply': async ({ presetId, conversationId }) => need().presets.apply(presetId, conversationId),

    'shell:openExternal': async ({ url }) => {
      if (!/^https?:\/\//i.test(url)) throw new BadRequestError('Only http:// and https:// links can be opened.');
      const { openExternal } = deps;
      await openExternal?.(url);
      return OK;
    },
  };

  async function run(channel: string, request: unknown): Promise<unknown> {
    if (closed) throw new BackendClosedError();
    if (typeof channel !== 'string' || !Object.hasOwn(invokeChannels, channel)) {
      throw new BadRequestError(`Unknown channel: ${String(channel).slice(0, 64)}`);
    }
    const name = channel as InvokeChannel;
    const spec = invokeChannels[name];
    const parsed = spec.request.safeParse(request);
    if (!parsed.success) throw requestNotValid(parsed.error);
    if (!unlocked && !OPEN_WHILE_LOCKED.has(name)) throw new AppLockedError();
    const reply = await (handlers[name] as (r: unknown) => Promise<unknown>)(parsed.data);
    const checked = spec.reply.safeParse(reply);
    if (!checked.success) throw new ReplyOutsideContractError(describeZodError(checked.error));
    return checked.data;
  }

  async function invoke(channel: string, request: unknown): Promise<IpcResult> {
    try {
      return { ok: true, value: await run(channel, request) };
    } catch (thrown) {
      const error = toIpcError(thrown);
      // Codes and error class names only: never a message, which may quote the request.
      const name = Object.hasOwn(invokeChannels, channel) ? channel : 'an unknown channel';
      const cause = error.code === 'internal' && thrown instanceof Error ? ` (${thrown.name})` : '';
      log(`${name} failed: ${error.code}${cause}`);
      if (thrown instanceof ReplyOutsideContractError) log(`${name}: ${thrown.message}`);
      return { ok: false, error };
    }
  }

  async function handle(channel: string, request: unknown): Promise<unknown> {
    const result = await invoke(channel, request);
    if (!result.ok) throw new IpcFailure(result.error);
    return result.value;
  }

  async function close(): Promise<void> {
    if (closed) return;
    const u = unlocked ?? (unlocking ? await unlocking.catch(() => null) : null);
    if (u) {
      await u.chat.close();
      await u.models.close().catch(() => undefined);
      await u.gateway.close().catch(() => undefined);
      await u.node.close();
      await u.relay.close();
      u.chatService.close();
      u.confirmations.close();
      await u.servers.profiles.flush().catch(() => undefined);
      await u.workspace.store.flush();
      await u.presets.flush();
      await u.conversations.store.close();
    }
    closed = true;
  }

  return { invoke, handle, close };
}
