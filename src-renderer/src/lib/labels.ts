// Words for the app's vocabularies: themes, context tiers, provider kinds, node-key trust and an
// answer's ciphers. A map holds i18n keys (`t(PROVIDER_NAME[kind])`; the words are in
// src-renderer/src/i18n/locales) and is typed by its set in src-shared/vocabulary, so a new member
// does not compile until it has its key here.
import type { AnswerMeta } from '../../../src-shared/ipc/contract';
import { i18n } from '../i18n';
import type { ContextTier, KeyWrap, LibraryModelState, NodeTrust, ProviderKind, Theme, TrustPolicy } from '../../../src-shared/vocabulary';

/** A theme's name (an i18n key: `t(THEME_LABEL[theme])`). */
export const THEME_LABEL: Record<Theme, string> = { light: 'settings:theme.light', dark: 'settings:theme.dark', system: 'settings:theme.system' };

const TIER_LABEL: Record<ContextTier, string> = { '8k-fast': 'chat:tier.8k-fast', '64k-full': 'chat:tier.64k-full' };

/** A context tier's name; a tier this app has no words for is shown as the node names it. */
export function tierLabel(tier: string): string {
  return Object.hasOwn(TIER_LABEL, tier) ? i18n.t(TIER_LABEL[tier as ContextTier]) : tier;
}

/** The provider as the node's facts name it. */
export const PROVIDER_NAME: Record<ProviderKind, string> = {
  'openai-compatible': 'node:provider.openai-compatible',
  anthropic: 'node:provider.anthropic',
  local: 'node:provider.local',
  test: 'node:provider.test',
};

/** The provider as the setup form offers it, in the order it offers them. */
export const PROVIDER_CHOICE: Record<ProviderKind, string> = {
  'openai-compatible': 'node:providerChoice.openai-compatible',
  anthropic: 'node:providerChoice.anthropic',
  local: 'node:providerChoice.local',
  test: 'node:providerChoice.test',
};

/** Why an answer's node key was trusted when the prompt was sent to it. */
export const NODE_TRUST_LABEL: Record<NodeTrust, string> = {
  'own-node': 'chat:nodeTrust.own-node',
  'first-use': 'chat:nodeTrust.first-use',
  confirmed: 'chat:nodeTrust.confirmed',
  'any-node': 'chat:nodeTrust.any-node',
};

/** A server's trust policy, as the Servers dialog offers it. */
export const TRUST_POLICY_LABEL: Record<TrustPolicy, string> = {
  ask: 'servers:policy.ask',
  'trusted-only': 'servers:policy.trusted-only',
  'any-node': 'servers:policy.any-node',
};

const WRAP_LABEL: Record<KeyWrap, string> = {
  'RSA-OAEP-SHA256': 'RSA-OAEP (SHA-256)',
  'RSA-PKCS1v15': 'RSA PKCS#1 v1.5',
};

/**
 * How one answer was encrypted: a short tag, the full sentence, and whether it is unauthenticated
 * (compatibility). The profile and flag come with the answer; stored answers from before them are
 * read by their cipher (AES-256-GCM was only ever aead-v1).
 */
export function encryptionLabel(meta: AnswerMeta): { short: string; long: string; compat: boolean } {
  const { encryption } = meta;
  const profile = encryption.profile ?? (encryption.symmetric === 'AES-256-GCM' ? 'aead-v1' : 'reference-cbc');
  const authenticated = encryption.authenticated ?? profile === 'aead-v1';
  const wraps = { requestWrap: WRAP_LABEL[encryption.requestWrap], replyWrap: WRAP_LABEL[encryption.replyWrap] };
  if (profile === 'aead-v1') {
    return {
      short: authenticated ? i18n.t('chat:encryption.aeadShortAuthenticated') : 'aead-v1',
      long: i18n.t(authenticated ? 'chat:encryption.aeadLongAuthenticated' : 'chat:encryption.aeadLong', wraps),
      compat: !authenticated,
    };
  }
  return { short: i18n.t('chat:encryption.cbcShort'), long: i18n.t('chat:encryption.cbcLong', wraps), compat: true };
}

/** A library model's state as its row names it. */
export const MODEL_STATE_LABEL: Record<LibraryModelState, string> = {
  available: 'models:state.available',
  downloading: 'models:state.downloading',
  paused: 'models:state.paused',
  failed: 'models:state.failed',
  installed: 'models:state.installed',
};
