// The one IPC contract between the renderer and the main process.
//
// Every invoke channel names its request and reply schema; every event main sends names its
// payload schema. The preload exposes exactly one named method per channel on
// `window.tokenplace` (no generic invoke/send/on), main validates every request against its
// schema, and the renderer validates nothing it did not ask for. Plaintext messages cross this
// boundary; keys and envelopes never do.
import { z } from 'zod';
import { errorCodeOf, isErrorCode, type ErrorCode } from '../errors';
import {
  AnswerDeliverySchema,
  ChatExportFormatSchema,
  ChatPhaseSchema,
  ContextTierSchema,
  ConversationSortSchema,
  AdvertisedE2eeProfileSchema,
  ConversationRoleSchema,
  E2eeProfileSchema,
  KeyWrapSchema,
  LanguageChoiceSchema,
  LibraryModelStateSchema,
  LocalNodeStateSchema,
  LocalServerNameSchema,
  MessageStatusSchema,
  NodeConfirmationDecisionSchema,
  NodeTrustSchema,
  ProviderKindSchema,
  SecretStorageSchema,
  ServerHealthStateSchema,
  ServerKindSchema,
  SupervisedStateSchema,
  SymmetricCipherSchema,
  ThemeSchema,
  TransferFormatSchema,
  TrustPolicySchema,
  TrustSourceSchema,
} from '../vocabulary';
import { ModelParamsSchema, PresetInputSchema, PresetNameSchema, PresetSchema } from '../vocabulary/steer';
import { ATTACHMENT_LIMITS } from '../read/attachments';
import { AttachmentInputsSchema, AttachmentMetaSchema } from '../read/attachment-schemas';

// ---------------------------------------------------------------- shared pieces

export const Id = z.string().min(1).max(128);
const Empty = z.object({}).strict();
const Ok = z.object({ ok: z.literal(true) });

export const EncryptionInfoSchema = z.object({
  /**
   * `aead-v1` between our peers (docs/protocol.md §10), `reference-cbc` with reference peers;
   * absent on answers stored before profiles (then AES-256-GCM was only ever aead-v1).
   */
  profile: E2eeProfileSchema.optional(),
  /** Whether the answer proved it came from whoever opened the request (absent: as `profile` implies). */
  authenticated: z.boolean().optional(),
  symmetric: SymmetricCipherSchema,
  requestWrap: KeyWrapSchema,
  replyWrap: KeyWrapSchema,
});

export const AnswerMetaSchema = z.object({
  model: z.string(),
  relayUrl: z.string(),
  serverId: Id,
  nodeFingerprint: z.string(),
  /** Why that key was trusted when the prompt was sent to it (absent on answers stored before trust policies). */
  nodeTrust: NodeTrustSchema.optional(),
  /** Answers stored before trust policies: a pinned key ('warn') was not the one that answered. */
  nodeKeyChanged: z.boolean().default(false),
  encryption: EncryptionInfoSchema,
  finishReason: z.string().optional(),
  usage: z
    .object({ promptTokens: z.number().int(), completionTokens: z.number().int(), totalTokens: z.number().int() })
    .optional(),
  elapsedMs: z.number().nonnegative(),
  /** §11: how the answer arrived (absent on answers stored before streaming). */
  delivery: AnswerDeliverySchema.optional(),
  /** Milliseconds from sending to the first authenticated text (a streamed delta, or the whole answer). */
  firstTextMs: z.number().nonnegative().optional(),
});
export type AnswerMeta = z.infer<typeof AnswerMetaSchema>;

/** A code of the error registry (src-shared/errors); the renderer may switch on it. */
export const ErrorCodeSchema = z.custom<ErrorCode>(isErrorCode, 'not an error code of the registry');

export const ChatErrorInfoSchema = z.object({
  /** Codes stored before the registry (or sent by another node) read as the code shown for them. */
  code: z.string().transform(errorCodeOf),
  /** Plain words for the user. */
  message: z.string(),
  retryable: z.boolean(),
});
export type ChatErrorInfo = z.infer<typeof ChatErrorInfoSchema>;

export const MessageSchema = z.object({
  id: Id,
  role: ConversationRoleSchema,
  content: z.string(),
  createdAt: z.number(),
  status: MessageStatusSchema,
  meta: AnswerMetaSchema.optional(),
  error: ChatErrorInfoSchema.optional(),
  /** Read: files read into a user message (its content holds their text, docs/protocol.md §2.3.7). */
  attachments: z.array(AttachmentMetaSchema).max(ATTACHMENT_LIMITS.maxFiles).optional(),
});
export type Message = z.infer<typeof MessageSchema>;

export const ConversationSummarySchema = z.object({
  id: Id,
  title: z.string(),
  createdAt: z.number(),
  updatedAt: z.number(),
  messageCount: z.number().int().nonnegative(),
});
export type ConversationSummary = z.infer<typeof ConversationSummarySchema>;

export const ConversationSchema = ConversationSummarySchema.extend({
  systemPrompt: z.string(),
  model: z.string().optional(),
  contextTier: ContextTierSchema.optional(),
  messages: z.array(MessageSchema),
  /**
   * Organise (branches): for each message of `messages` that has other versions (answers kept by
   * "Regenerate", user messages kept by an edit), the ids of all its versions in the order they
   * were made, itself included. Absent when no message has another version.
   */
  versions: z.record(Id, z.array(Id).min(2)).optional(),
  /** Steer: the chat's own model parameters (absent: its server's defaults apply). */
  params: ModelParamsSchema.optional(),
  /** Steer: the preset last applied to this chat (absent: none). */
  presetId: Id.optional(),
});
export type Conversation = z.infer<typeof ConversationSchema>;

// ---------------------------------------------------------------- organise: the conversation tree (issue 14)

/** A message as a conversation's tree holds it: `parentId` is the message it follows (null: the first). */
export const TreeMessageSchema = MessageSchema.extend({ parentId: Id.nullable() });
export type TreeMessage = z.infer<typeof TreeMessageSchema>;

/**
 * A conversation with every branch: `messages` holds every version of every message, each naming
 * its parent; `activeLeafId` ends the path the window shows (Conversation.messages is that path).
 * Derived from ConversationSchema, so every field a conversation gains is carried along.
 */
export const ConversationTreeSchema = ConversationSchema.omit({ messages: true, versions: true }).extend({
  messages: z.array(TreeMessageSchema),
  activeLeafId: Id.nullable(),
});
export type ConversationTree = z.infer<typeof ConversationTreeSchema>;

export const SearchHitSchema = z.object({
  conversationId: Id,
  conversationTitle: z.string(),
  messageId: Id.optional(),
  snippet: z.string(),
});
export type SearchHit = z.infer<typeof SearchHitSchema>;

export const ServerHealthSchema = z.object({
  state: ServerHealthStateSchema,
  latencyMs: z.number().nonnegative().optional(),
  nodeCount: z.number().int().nonnegative().optional(),
  models: z.array(z.string()).default([]),
  checkedAt: z.number().optional(),
  error: z.string().optional(),
});
export type ServerHealth = z.infer<typeof ServerHealthSchema>;

export const FingerprintSchema = z.string().regex(/^[0-9a-f]{64}$/, 'a node key fingerprint is 64 lowercase hex characters');

/** A node key this server offered (most recently seen first). */
export const KnownNodeSchema = z.object({
  fingerprint: FingerprintSchema,
  firstSeenAt: z.number(),
  lastSeenAt: z.number(),
  answers: z.number().int().nonnegative(),
  /** How the key became trusted on this server; null: seen, not trusted. */
  trusted: TrustSourceSchema.nullable().default(null),
  /** Profiles this key has spoken or advertised (§10.6): with `aead-v1` listed, CBC to or from it is refused. */
  e2eeProfiles: z.array(AdvertisedE2eeProfileSchema).max(8).default([]),
});
export type KnownNode = z.infer<typeof KnownNodeSchema>;

export const ServerProfileSchema = z.object({
  id: Id,
  name: z.string().min(1).max(80),
  url: z.string().url(),
  kind: ServerKindSchema,
  hasRelayToken: z.boolean(),
  defaultModel: z.string().optional(),
  defaultContextTier: ContextTierSchema.optional(),
  health: ServerHealthSchema,
  /** What happens before a prompt goes to a node key not trusted on this server. */
  trustPolicy: TrustPolicySchema,
  knownNodes: z.array(KnownNodeSchema).default([]),
});
export type ServerProfile = z.infer<typeof ServerProfileSchema>;

/**
 * A question for the user: the server offered a node key not trusted there (policy `ask`), and
 * nothing is encrypted to it until the user answers (`trust:answer`) or stops the request.
 */
export const NodeConfirmationSchema = z.object({
  id: Id,
  serverId: Id,
  serverName: z.string(),
  fingerprint: FingerprintSchema,
  /** Keys already trusted on this server, most recently seen first. */
  trustedFingerprints: z.array(FingerprintSchema),
  /** How many nodes the relay could have chosen from (servers/next `eligible_node_count`). */
  liveNodes: z.number().int().nonnegative(),
  /** The conversation whose prompt waits; absent for the local gateway's requests. */
  conversationId: Id.optional(),
  askedAt: z.number(),
});
export type NodeConfirmation = z.infer<typeof NodeConfirmationSchema>;

export const ServerListSchema = z.object({ activeId: Id, servers: z.array(ServerProfileSchema) });
export type ServerList = z.infer<typeof ServerListSchema>;

const HttpUrl = z
  .string()
  .url()
  .refine((u) => /^https?:\/\//i.test(u), 'The server address must start with http:// or https://');

export const ServerInputSchema = z.object({
  name: z.string().trim().min(1).max(80),
  url: HttpUrl,
  /** A relay token for node routes, if the operator set one. Write-only: never read back. */
  relayToken: z.string().max(4096).optional(),
  defaultModel: z.string().max(128).optional(),
  defaultContextTier: ContextTierSchema.optional(),
});
export type ServerInput = z.infer<typeof ServerInputSchema>;

export const EmbeddedRelayStatusSchema = z.object({
  enabled: z.boolean(),
  state: SupervisedStateSchema,
  url: z.string().optional(),
  nodeCount: z.number().int().nonnegative(),
  restarts: z.number().int().nonnegative(),
  error: z.string().optional(),
});
export type EmbeddedRelayStatus = z.infer<typeof EmbeddedRelayStatusSchema>;

export const LocalNodeConfigSchema = z.object({
  provider: ProviderKindSchema,
  baseUrl: z.string().max(2048).optional(),
  model: z.string().min(1).max(256),
  /** Write-only: stored encrypted by main, never read back. */
  apiKey: z.string().max(4096).optional(),
  /** local: the .gguf file the built-in engine serves (`model` is the name clients ask for). */
  modelFile: z.string().trim().min(1).max(4096).optional(),
  /** local: the context window in tokens (default: as large as memory allows, up to 8192). */
  contextSize: z.int().min(256).max(1_048_576).optional(),
  /** local: CPU threads (default: the machine's math cores minus one, at least 1). */
  threads: z.int().min(1).max(512).optional(),
});
export type LocalNodeConfig = z.infer<typeof LocalNodeConfigSchema>;

export const LocalNodeStatusSchema = z.object({
  configured: z.boolean(),
  config: LocalNodeConfigSchema.omit({ apiKey: true }).extend({ hasApiKey: z.boolean() }).optional(),
  state: LocalNodeStateSchema,
  relayUrl: z.string().optional(),
  fingerprint: z.string().optional(),
  inFlight: z.number().int().nonnegative(),
  served: z.number().int().nonnegative(),
  error: z.string().optional(),
});
export type LocalNodeStatus = z.infer<typeof LocalNodeStatusSchema>;

export const DetectedProviderSchema = z.object({
  name: LocalServerNameSchema,
  baseUrl: z.string(),
  models: z.array(z.string()),
});

// ---------------------------------------------------------------- the model library (issue 13)

/** A model file's name in the app's models folder (never a path). */
export const ModelFileNameSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*\.gguf$/i, 'a model file name is letters, digits, dots, dashes or underscores, ending in .gguf');

export const DownloadProgressSchema = z.object({
  receivedBytes: z.number().int().nonnegative(),
  /** Unknown until the server says. */
  totalBytes: z.number().int().nonnegative().optional(),
  /** Average over the last few seconds. */
  bytesPerSecond: z.number().nonnegative(),
  secondsLeft: z.number().nonnegative().optional(),
});
export type DownloadProgressInfo = z.infer<typeof DownloadProgressSchema>;

/** One model of the library: a curated one (offered, downloading or installed) or a file in the models folder. */
export const LibraryModelSchema = z.object({
  /** The file's name in the models folder: what every models:* request names. */
  fileName: ModelFileNameSchema,
  name: z.string(),
  /** The curated entry this is (absent: added from a URL or imported). */
  catalogueId: z.string().optional(),
  publisher: z.string().optional(),
  parameters: z.string().optional(),
  quantization: z.string().optional(),
  /** The file's size: published for curated models, else the server's or the file's once known. */
  sizeBytes: z.number().int().nonnegative().optional(),
  licence: z.object({ name: z.string(), url: z.string().url() }).optional(),
  /** Memory it needs loaded (weights, KV cache of the default context, working buffers). */
  ramEstimateBytes: z.number().int().nonnegative().optional(),
  state: LibraryModelStateSchema,
  progress: DownloadProgressSchema.optional(),
  /** Why the download stopped (state `failed`), in plain words. */
  error: z.string().optional(),
  /** Whether a failed download can go on from where it stopped. */
  resumable: z.boolean().optional(),
  /** This computer's node serves this file. */
  inUse: z.boolean(),
});
export type LibraryModel = z.infer<typeof LibraryModelSchema>;

export const ModelLibrarySchema = z.object({
  models: z.array(LibraryModelSchema),
  /** Free space on the models folder's disk, when it could be read. */
  freeBytes: z.number().int().nonnegative().optional(),
  /** The curated model the first run offers ("download a small model"). */
  smallestFileName: ModelFileNameSchema.optional(),
});
export type ModelLibrary = z.infer<typeof ModelLibrarySchema>;

const DownloadUrl = z
  .string()
  .trim()
  .max(4096)
  .url('Enter the full address of the .gguf file, starting with https://.')
  .refine((u) => /^https?:\/\//i.test(u), 'The download address must start with http:// or https://.');

const Sha256Hex = z
  .string()
  .trim()
  .regex(/^[0-9a-fA-F]{64}$/, 'The SHA-256 checksum must be 64 hexadecimal characters.')
  .transform((h) => h.toLowerCase());

export const SettingsSchema = z.object({
  theme: ThemeSchema,
  fontSize: z.number().int().min(11).max(24),
  /** i18n: the window's language; absent (older settings) follows the system like 'system'. */
  language: LanguageChoiceSchema.optional(),
  // Live on the desktop (issue 14): both opt-in, so absent (older settings, or never switched on)
  // means off. Optional rather than defaulted: a `settings:update` patch must not reset them.
  /** An OS notification, shown by main, when an answer completes while the window is not focused. */
  notifyOnAnswer: z.boolean().optional(),
  /** A tray icon: closing the window hides it, and this computer's node keeps serving until Quit. */
  trayEnabled: z.boolean().optional(),
});
export type Settings = z.infer<typeof SettingsSchema>;

export const GatewayStatusSchema = z.object({
  enabled: z.boolean(),
  url: z.string().optional(),
  /** The bearer token the user pastes into their OpenAI-compatible tool. */
  token: z.string().optional(),
  error: z.string().optional(),
});
export type GatewayStatus = z.infer<typeof GatewayStatusSchema>;

export const AppInfoSchema = z.object({
  version: z.string(),
  platform: z.string(),
  /** Where secrets are kept: the OS keychain via safeStorage, or a passphrase the user types. */
  secretStorage: SecretStorageSchema,
  firstRun: z.boolean(),
});

export const ModelChoiceSchema = z.object({
  models: z.array(z.string()),
  contextTiers: z.array(ContextTierSchema),
});

// ---------------------------------------------------------------- the sidebar's organisation (issue 14: folders, pins, sort, drafts)

export const FolderNameSchema = z.string().trim().min(1, 'Give the folder a name.').max(80, 'A folder name is at most 80 characters.');

export const FolderSchema = z.object({
  id: Id,
  name: FolderNameSchema,
  createdAt: z.number(),
  /** The sidebar shows the folder closed (its chats hidden). */
  collapsed: z.boolean(),
});
export type Folder = z.infer<typeof FolderSchema>;

/** How the sidebar is organised. Kept in its own encrypted record, apart from the conversations. */
export const WorkspaceSchema = z.object({
  folders: z.array(FolderSchema).max(500),
  /** Conversation id → the folder it is in; a conversation not listed is at the top level. */
  placements: z.record(Id, Id),
  /** Pinned conversations, shown above everything else (most recently pinned first). */
  pinned: z.array(Id),
  sort: ConversationSortSchema,
});
export type Workspace = z.infer<typeof WorkspaceSchema>;

/** The longest draft kept: what `chat:send` takes. */
export const MAX_DRAFT_CHARS = 512 * 1024;

/** Unsent text of a conversation's message box (plaintext: stored encrypted, like conversations). */
export const DraftSchema = z.object({
  conversationId: Id,
  text: z.string().min(1).max(MAX_DRAFT_CHARS),
  savedAt: z.number(),
});
export type Draft = z.infer<typeof DraftSchema>;

// ---------------------------------------------------------------- steer: presets (issue 14)

/** The presets (built-in first) and the one new chats start with (null: none). */
export const PresetListSchema = z.object({ presets: z.array(PresetSchema), defaultPresetId: Id.nullable() });
export type PresetList = z.infer<typeof PresetListSchema>;

// ---------------------------------------------------------------- invoke channels

function channel<Req extends z.ZodType, Rep extends z.ZodType>(request: Req, reply: Rep) {
  return { request, reply };
}

export const invokeChannels = {
  'app:info': channel(Empty, AppInfoSchema),
  'app:unlock': channel(z.object({ passphrase: z.string().min(8).max(1024) }).strict(), Ok),

  'conversations:list': channel(Empty, z.array(ConversationSummarySchema)),
  'conversations:get': channel(z.object({ id: Id }).strict(), ConversationSchema),
  'conversations:create': channel(
    z.object({ title: z.string().max(200).optional(), systemPrompt: z.string().max(32_768).optional() }).strict(),
    ConversationSchema,
  ),
  'conversations:rename': channel(z.object({ id: Id, title: z.string().trim().min(1).max(200) }).strict(), ConversationSummarySchema),
  'conversations:update': channel(
    z
      .object({
        id: Id,
        systemPrompt: z.string().max(32_768).optional(),
        model: z.string().max(256).optional(),
        contextTier: ContextTierSchema.optional(),
      })
      .strict(),
    ConversationSchema,
  ),
  /** Moves a conversation to the trash; `conversations:restore` undoes it until the app quits. */
  'conversations:delete': channel(z.object({ id: Id }).strict(), Ok),
  'conversations:restore': channel(z.object({ id: Id }).strict(), ConversationSummarySchema),
  'conversations:search': channel(z.object({ query: z.string().trim().min(1).max(500) }).strict(), z.array(SearchHitSchema)),
  'conversations:export': channel(
    z.object({ format: TransferFormatSchema, ids: z.array(Id).optional() }).strict(),
    z.object({ filename: z.string(), mimeType: z.string(), content: z.string() }),
  ),
  'conversations:import': channel(
    z.object({ format: TransferFormatSchema, content: z.string().max(64 * 1024 * 1024) }).strict(),
    z.object({ imported: z.number().int().nonnegative() }),
  ),
  'conversations:clear': channel(z.object({ confirm: z.literal(true) }).strict(), Ok),
  // Organise (issue 14): versions of a message, deleting one message, one chat's export and import.
  /** Shows the branch through a message: another version of it (‹ ›), or a search hit in a branch not shown. */
  'conversations:showVersion': channel(z.object({ id: Id, messageId: Id }).strict(), ConversationSchema),
  /** Deletes a message and every message after it, in every branch. */
  'conversations:deleteMessage': channel(z.object({ id: Id, messageId: Id }).strict(), ConversationSchema),
  /**
   * Main asks where to save with the system's save dialog and writes the file (JSON keeps every
   * branch; Markdown and the web page hold the path shown). `saved` is false when the user cancelled;
   * `fileName` is the saved file's name (never its folder).
   */
  'conversations:exportChat': channel(
    z.object({ id: Id, format: ChatExportFormatSchema }).strict(),
    z.object({ saved: z.boolean(), fileName: z.string().optional() }),
  ),
  /** The path shown, as Markdown to paste elsewhere (without the lines import reads). */
  'conversations:markdown': channel(z.object({ id: Id }).strict(), z.object({ content: z.string() })),
  /** Main asks for one chat's JSON file with the system's open dialog and adds it as a new chat; `imported` is absent when the user cancelled. */
  'conversations:importChat': channel(Empty, z.object({ imported: ConversationSummarySchema.optional() })),

  /**
   * Appends the user's message and starts an answer; progress arrives as `chat:event`.
   * `attachments` (Read): files read by the window; with them the typed text may be empty (§2.3.7).
   */
  'chat:send': channel(
    z
      .object({ conversationId: Id, content: z.string().trim().max(512 * 1024), attachments: AttachmentInputsSchema.optional() })
      .strict()
      .refine((r) => r.content.length > 0 || r.attachments !== undefined, { path: ['content'], message: 'Type a message or attach a file.' }),
    z.object({ userMessageId: Id, answerId: Id }),
  ),
  'chat:stop': channel(z.object({ conversationId: Id }).strict(), z.object({ stopped: z.boolean() })),
  /** Replaces the last answer (or retries a failed one). */
  'chat:regenerate': channel(z.object({ conversationId: Id }).strict(), z.object({ answerId: Id })),
  /** Edits a past user message, drops everything after it and asks again. */
  'chat:edit': channel(
    z.object({ conversationId: Id, messageId: Id, content: z.string().trim().min(1).max(512 * 1024) }).strict(),
    z.object({ answerId: Id }),
  ),
  'chat:models': channel(Empty, ModelChoiceSchema),
  /** Steer: sets the chat's own parameters (null: back to its server's defaults). */
  'chat:params': channel(z.object({ conversationId: Id, params: ModelParamsSchema.nullable() }).strict(), ConversationSchema),
  /** Steer (docs/protocol.md §2.3.5): extends the last answer, which stopped at its output limit or was stopped. */
  'chat:continue': channel(z.object({ conversationId: Id }).strict(), z.object({ answerId: Id })),

  'servers:list': channel(Empty, ServerListSchema),
  'servers:add': channel(ServerInputSchema.strict(), ServerProfileSchema),
  'servers:update': channel(ServerInputSchema.partial().extend({ id: Id }).strict(), ServerProfileSchema),
  'servers:remove': channel(z.object({ id: Id }).strict(), Ok),
  'servers:activate': channel(z.object({ id: Id }).strict(), ServerListSchema),
  'servers:probe': channel(z.object({ id: Id }).strict(), ServerHealthSchema),
  /** Trusts a node key on a server (it is used without asking). */
  'servers:trustNode': channel(z.object({ serverId: Id, fingerprint: FingerprintSchema }).strict(), ServerProfileSchema),
  /** The key stays in the list, no longer trusted: the next prompt to it asks first (or is refused). */
  'servers:untrustNode': channel(z.object({ serverId: Id, fingerprint: FingerprintSchema }).strict(), ServerProfileSchema),
  'servers:setTrustPolicy': channel(z.object({ serverId: Id, policy: TrustPolicySchema }).strict(), ServerProfileSchema),
  /** Steer: the model parameters chats on this server use unless they set their own. */
  'servers:paramDefaults': channel(z.object({ serverId: Id }).strict(), ModelParamsSchema),
  'servers:setParamDefaults': channel(z.object({ serverId: Id, params: ModelParamsSchema }).strict(), ModelParamsSchema),

  /** Questions about node keys still waiting for the user (also announced as `events:trust`). */
  'trust:pending': channel(Empty, z.array(NodeConfirmationSchema)),
  /** The user's answer; the waiting prompt is sent (trust, trust-any-node) or not (refuse). */
  'trust:answer': channel(z.object({ id: Id, decision: NodeConfirmationDecisionSchema }).strict(), Ok),

  'relay:status': channel(Empty, EmbeddedRelayStatusSchema),
  'relay:setEnabled': channel(z.object({ enabled: z.boolean() }).strict(), EmbeddedRelayStatusSchema),

  'node:status': channel(Empty, LocalNodeStatusSchema),
  'node:configure': channel(LocalNodeConfigSchema.strict(), LocalNodeStatusSchema),
  'node:start': channel(Empty, LocalNodeStatusSchema),
  'node:stop': channel(Empty, LocalNodeStatusSchema),
  'node:detect': channel(Empty, z.array(DetectedProviderSchema)),

  // The model library (issue 13; backend: src-main/backend/models.ts over src-main/models). Every
  // request names a model by its file name in the app's models folder (ModelFileNameSchema), never
  // by a path; every reply but `models:use` is the whole library again, and changes made meanwhile
  // (a download that ends, a file that arrives) also come as `events:models` `library`, progress
  // as `events:models` `progress` (at most about 4 a second per download). Failures are
  // ModelLibraryError codes (src-shared/vocabulary local-models.ts) with their words in the
  // registry; the row of a failed download keeps its message in `error`.

  /** The curated models and what is in the models folder, each with its state; `freeBytes` when the disk says. */
  'models:list': channel(Empty, ModelLibrarySchema),
  /**
   * Starts (or resumes) the download of a curated model by its file name: free space is checked
   * first (`model_download_insufficient_space`), the SHA-256 is checked before the file gets its
   * name (`model_download_checksum_mismatch`: the file is removed). Another token.place
   * downloading the same file already: `model_download_locked`; a file not in the catalogue:
   * `model_file_not_found`; already there: `model_file_exists`.
   */
  'models:download': channel(z.object({ fileName: ModelFileNameSchema }).strict(), ModelLibrarySchema),
  /**
   * Downloads a .gguf from an http(s) address under the last part of its path; with a SHA-256 a
   * file that differs is refused and removed. Bad address: `model_download_invalid_url`; 404:
   * `model_download_not_found`; no byte for 30 s: `model_download_timeout` (resumable).
   */
  'models:addFromUrl': channel(
    z.object({ url: DownloadUrl, sha256: Sha256Hex.optional() }).strict(),
    ModelLibrarySchema,
  ),
  /** Pauses a running download; what arrived stays. A server without range requests: `model_download_range_unsupported`; none running: `model_download_not_running`. */
  'models:pause': channel(z.object({ fileName: ModelFileNameSchema }).strict(), ModelLibrarySchema),
  /** Continues a paused or failed download by an HTTP range request, also one an earlier run of the app left (it lists as `paused`). */
  'models:resume': channel(z.object({ fileName: ModelFileNameSchema }).strict(), ModelLibrarySchema),
  /** Stops a download and deletes what arrived (refused with `model_download_locked` while another token.place downloads it). */
  'models:cancel': channel(z.object({ fileName: ModelFileNameSchema }).strict(), ModelLibrarySchema),
  /**
   * Main asks for a .gguf file with the system's open dialog and copies it in (the renderer never
   * sees its path); `imported` is absent when the user cancelled. Not GGUF: `model_file_not_gguf`.
   */
  'models:import': channel(Empty, z.object({ imported: ModelFileNameSchema.optional(), library: ModelLibrarySchema })),
  /** Deletes a model file (or an unfinished download) and says how much space that freed; the file this computer's node serves: `model_in_use`. */
  'models:delete': channel(z.object({ fileName: ModelFileNameSchema }).strict(), z.object({ freedBytes: z.number().int().nonnegative(), library: ModelLibrarySchema })),
  /** This computer's node serves the installed model with the built-in engine (provider `local`), keeping the context size and threads set before. */
  'models:use': channel(z.object({ fileName: ModelFileNameSchema }).strict(), LocalNodeStatusSchema),

  'settings:get': channel(Empty, SettingsSchema),
  'settings:update': channel(SettingsSchema.partial().strict(), SettingsSchema),

  'gateway:status': channel(Empty, GatewayStatusSchema),
  'gateway:setEnabled': channel(z.object({ enabled: z.boolean() }).strict(), GatewayStatusSchema),

  // The sidebar's organisation (issue 14). Every change answers with the whole organisation.
  'workspace:get': channel(Empty, WorkspaceSchema),
  'workspace:createFolder': channel(z.object({ name: FolderNameSchema }).strict(), z.object({ folderId: Id, workspace: WorkspaceSchema })),
  'workspace:renameFolder': channel(z.object({ folderId: Id, name: FolderNameSchema }).strict(), WorkspaceSchema),
  /** Deletes a folder, never its chats: they move back to the top level (`moved` says how many). */
  'workspace:deleteFolder': channel(
    z.object({ folderId: Id }).strict(),
    z.object({ moved: z.number().int().nonnegative(), workspace: WorkspaceSchema }),
  ),
  'workspace:setCollapsed': channel(z.object({ folderId: Id, collapsed: z.boolean() }).strict(), WorkspaceSchema),
  /** Puts a conversation into a folder, or back at the top level (`folderId` null). */
  'workspace:move': channel(z.object({ conversationId: Id, folderId: Id.nullable() }).strict(), WorkspaceSchema),
  'workspace:setPinned': channel(z.object({ conversationId: Id, pinned: z.boolean() }).strict(), WorkspaceSchema),
  'workspace:setSort': channel(z.object({ sort: ConversationSortSchema }).strict(), WorkspaceSchema),
  /** Every saved draft (deleted conversations have none). */
  'workspace:drafts': channel(Empty, z.array(DraftSchema)),
  /** Saves a conversation's draft; text that is empty or only spaces removes it. */
  'workspace:saveDraft': channel(z.object({ conversationId: Id, text: z.string().max(MAX_DRAFT_CHARS) }).strict(), Ok),

  // Steer (issue 14): presets ("assistants"), stored encrypted; built-in ones are read-only.
  'presets:list': channel(Empty, PresetListSchema),
  /** Creates a preset (no `id`) or changes one of the user's. */
  'presets:save': channel(PresetInputSchema.extend({ id: Id.optional() }).strict(), z.object({ presetId: Id, list: PresetListSchema })),
  /** Copies any preset as one of the user's; `name` is the copy's name in the window's language (default: "<name> (copy)"). */
  'presets:duplicate': channel(z.object({ id: Id, name: PresetNameSchema.optional() }).strict(), z.object({ presetId: Id, list: PresetListSchema })),
  'presets:delete': channel(z.object({ id: Id }).strict(), PresetListSchema),
  'presets:setDefault': channel(z.object({ id: Id.nullable() }).strict(), PresetListSchema),
  /** Gives a chat the preset's system prompt and parameters; without `conversationId`, a new chat. */
  'presets:apply': channel(z.object({ presetId: Id, conversationId: Id.optional() }).strict(), ConversationSchema),

  /** Opens an http(s) link in the system browser; anything else is refused. */
  'shell:openExternal': channel(z.object({ url: z.string().url().max(4096) }).strict(), Ok),
} as const;

export type InvokeChannel = keyof typeof invokeChannels;
export type InvokeRequest<C extends InvokeChannel> = z.input<(typeof invokeChannels)[C]['request']>;
export type InvokeReply<C extends InvokeChannel> = z.output<(typeof invokeChannels)[C]['reply']>;

// ---------------------------------------------------------------- events (main -> renderer)

export const ChatEventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('status'),
    conversationId: Id,
    answerId: Id,
    phase: ChatPhaseSchema,
    elapsedMs: z.number().nonnegative(),
    /** Prefill progress 0..1 when the node reports prompt tokens. */
    fraction: z.number().min(0).max(1).optional(),
    generatedTokens: z.number().int().nonnegative().optional(),
  }),
  /**
   * Authenticated text of a streamed answer (§11.7) that follows what it shows so far; with
   * `snapshot` (§11.6) it replaces the text so far instead.
   */
  z.object({
    type: z.literal('delta'),
    conversationId: Id,
    answerId: Id,
    text: z.string(),
    snapshot: z.boolean(),
    elapsedMs: z.number().nonnegative(),
  }),
  z.object({ type: z.literal('answer'), conversationId: Id, message: MessageSchema }),
  z.object({ type: z.literal('error'), conversationId: Id, message: MessageSchema }),
  z.object({ type: z.literal('stopped'), conversationId: Id, message: MessageSchema }),
]);
export type ChatEvent = z.infer<typeof ChatEventSchema>;
/** The one event that ends an answer: it carries the stored message. */
export type ChatFinalEvent = Extract<ChatEvent, { type: 'answer' | 'error' | 'stopped' }>;
export function isFinalChatEvent(e: ChatEvent): e is ChatFinalEvent {
  return e.type === 'answer' || e.type === 'error' || e.type === 'stopped';
}

/** A question about a node key was asked, or it was settled (answered, or its request stopped). */
export const TrustEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ask'), confirmation: NodeConfirmationSchema }),
  z.object({ type: z.literal('settled'), id: Id }),
]);
export type TrustEvent = z.infer<typeof TrustEventSchema>;

/** The library changed (a download started, ended, a file came or went), or a download made progress. */
export const ModelsEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('library'), library: ModelLibrarySchema }),
  z.object({ type: z.literal('progress'), fileName: ModelFileNameSchema, progress: DownloadProgressSchema }),
]);
export type ModelsEvent = z.infer<typeof ModelsEventSchema>;

/** Main asks the window to do something the user chose outside it (live on the desktop, issue 14). */
export const WindowEventSchema = z.discriminatedUnion('type', [
  /** The user clicked the notification of this conversation's answer. */
  z.object({ type: z.literal('openConversation'), conversationId: Id }),
]);
export type WindowEvent = z.infer<typeof WindowEventSchema>;

/** Event channels are named `events:<topic>`; the preload exposes `events.<topic>(listener)`. */
export const eventChannels = {
  'events:chat': ChatEventSchema,
  'events:servers': ServerListSchema,
  'events:relay': EmbeddedRelayStatusSchema,
  'events:node': LocalNodeStatusSchema,
  'events:trust': TrustEventSchema,
  'events:models': ModelsEventSchema,
  'events:window': WindowEventSchema,
} as const;
export type EventChannel = keyof typeof eventChannels;
export type EventPayload<C extends EventChannel> = z.output<(typeof eventChannels)[C]>;

// ---------------------------------------------------------------- the renderer-facing API

type Namespace<C extends string> = C extends `${infer N}:${string}` ? N : never;
type MethodsOf<N extends string> = {
  [C in InvokeChannel as C extends `${N}:${infer M}` ? M : never]: (request: InvokeRequest<C>) => Promise<InvokeReply<C>>;
};
type Unsubscribe = () => void;

/**
 * `window.tokenplace`: `tokenplace.conversations.list({})` for channel `conversations:list`, and
 * `tokenplace.events.chat(listener)` (returns an unsubscribe function) for `events:chat`.
 */
export type TokenPlaceApi = { [N in Namespace<InvokeChannel>]: MethodsOf<N> } & {
  events: {
    [C in EventChannel as C extends `events:${infer T}` ? T : never]: (listener: (payload: EventPayload<C>) => void) => Unsubscribe;
  };
};

/** Splits `conversations:list` into its namespace and method name (the test bridge shim and the preload's shape test; the sandboxed preload keeps its own zod-free copy). */
export function splitChannel(channel: string): { namespace: string; method: string } {
  const at = channel.indexOf(':');
  return { namespace: channel.slice(0, at), method: channel.slice(at + 1) };
}

/** Errors cross IPC as this shape so the renderer can show `message` in plain words and switch on `code`. */
export const IpcErrorSchema = z.object({ code: ErrorCodeSchema, message: z.string() });
export type IpcError = z.infer<typeof IpcErrorSchema>;

/**
 * What every invoke channel answers (the backend's edge makes it): Electron flattens a thrown
 * Error to a prefixed string, so failures travel as data and the preload turns them back into a
 * rejection with the IpcError shape.
 */
export type IpcResult = { ok: true; value: unknown } | { ok: false; error: IpcError };
