// Public API of the client side: relay client, server profiles + node pins, chat service,
// local OpenAI-compatible gateway. See docs/client.md.
export { RelayClient, relayError, type RelayClientConfig } from './relay-client';
export { textAfterDelta } from './delta-text';
export type {
  ChatAnswer,
  ChatDelta,
  ChatEncryption,
  ChatMessage,
  ChatOptions,
  ChatRequest,
  ChatStatus,
  ChatTimings,
  ChatUsage,
  OfferedNode,
  ServerHealth,
} from './types';
export {
  ChatError,
  ChatCancelledError,
  ChatTimeoutError,
  InvalidChatRequestError,
  InvalidReplyError,
  InvalidServerResponseError,
  InvalidServerUrlError,
  NodeError,
  StreamBrokenError,
  UntrustedNodeKeyError,
  RelayError,
  ServerUnreachableError,
  TlsError,
  isChatError,
  type ChatErrorOptions,
} from './errors';
export { userMessageFor, type UserMessage } from './user-messages';
export { normalizeServerUrl, ServerUrlSchema } from './server-url';
export { callJson, DEFAULT_MAX_RESPONSE_BYTES, type FetchLike } from './http';
export { REPLY_PADDINGS } from './reply-decrypt';
export { ProfilesStore, ProfileValidationError, type ServerProfile, type ProfilesEvent } from './profiles';
export {
  EMBEDDED_PROFILE_ID,
  PUBLIC_PROFILE_ID,
  PUBLIC_RELAY_URL,
  type KnownNode,
  type ProfileInput,
  type ProfilePatch,
} from './profiles-schema';
export { MAX_KNOWN_NODES_PER_SERVER, type TrustVerdict } from './node-book';
export { TrustGate, type ConfirmNode, type NodeConfirmationRequest } from './trust-gate';
export { JsonFileStorage, type JsonStorage, type SecretStore } from './storage';
export {
  ChatService,
  type ChatServiceConfig,
  type ChatServiceEvent,
  type ServiceAnswer,
  type ServiceChatRequest,
  type SwitchPolicy,
} from './chat-service';
export { startGateway, generateGatewayToken, GATEWAY_HOST, type GatewayConfig, type RunningGateway } from './gateway';
