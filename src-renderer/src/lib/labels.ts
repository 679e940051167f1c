// Words for the app's vocabularies: themes, context tiers, provider kinds, node-key trust and an
// answer's ciphers.
// Each map is typed by its set in src-shared/vocabulary, so a new member does not compile until it
// has its words here.
import type { AnswerMeta } from '../../../src-shared/ipc/contract';
import type { ContextTier, KeyWrap, LibraryModelState, NodeTrust, ProviderKind, Theme, TrustPolicy } from '../../../src-shared/vocabulary';

/** A theme's name (an i18n key: `t(THEME_LABEL[theme])`). */
export const THEME_LABEL: Record<Theme, string> = { light: 'settings:theme.light', dark: 'settings:theme.dark', system: 'settings:theme.system' };

export const TIER_LABEL: Record<ContextTier, string> = { '8k-fast': '8k · fast', '64k-full': '64k · full' };

/** The provider as the node's facts name it. */
export const PROVIDER_NAME: Record<ProviderKind, string> = {
  'openai-compatible': 'OpenAI-compatible',
  anthropic: 'Anthropic',
  local: 'Built-in engine',
  test: 'Test provider',
};

/** The provider as the setup form offers it, in the order it offers them. */
export const PROVIDER_CHOICE: Record<ProviderKind, string> = {
  'openai-compatible': 'OpenAI-compatible server (Ollama, LM Studio, llama.cpp, vLLM, OpenAI…)',
  anthropic: 'Anthropic API',
  local: 'Built-in engine (a .gguf model file on this computer)',
  test: 'Built-in test provider (for trying the app; canned answers)',
};

/** Why an answer's node key was trusted when the prompt was sent to it. */
export const NODE_TRUST_LABEL: Record<NodeTrust, string> = {
  'own-node': 'this computer’s node',
  'first-use': 'trusted on first use',
  confirmed: 'trusted by you',
  'any-node': 'any node (server setting)',
};

/** A server's trust policy, as the Servers dialog offers it. */
export const TRUST_POLICY_LABEL: Record<TrustPolicy, string> = {
  ask: 'Ask me before sending to a new node key',
  'trusted-only': 'Send only to node keys I trusted',
  'any-node': 'Send to any node the server picks',
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
  if (profile === 'aead-v1') {
    return {
      short: authenticated ? 'aead-v1 · authenticated' : 'aead-v1',
      long:
        `aead-v1: AES-256-GCM, ${authenticated ? 'authenticated — only the node that opened your request could have written this answer' : 'not authenticated'}; ` +
        `request key wrapped with ${WRAP_LABEL[encryption.requestWrap]}, answer key derived from it.`,
      compat: !authenticated,
    };
  }
  return {
    short: 'reference-cbc · not authenticated',
    long:
      'reference-cbc: AES-256-CBC, the token.place compatibility mode, not authenticated (the relay or another party could have written it); ' +
      `request key wrapped with ${WRAP_LABEL[encryption.requestWrap]}, answer key with ${WRAP_LABEL[encryption.replyWrap]}.`,
    compat: true,
  };
}

/** A library model's state as its row names it. */
export const MODEL_STATE_LABEL: Record<LibraryModelState, string> = {
  available: 'Not downloaded',
  downloading: 'Downloading',
  paused: 'Paused',
  failed: 'Download stopped',
  installed: 'Downloaded',
};
