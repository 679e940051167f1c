// Before a prompt is encrypted to an offered node key (docs/client.md "Node keys and trust"): this
// computer's own node, a key trusted on the server, or any key under the `any-node` policy is used;
// the first key on a server with none trusted is trusted on first use; any other key is refused
// (`trusted-only`) or shown to the user, and nothing is sent until they answer (`ask`). A request
// whose user declined one key is not asked about more keys: it goes on only with trusted ones.
import type { NodeConfirmationDecision, NodeTrust } from '../../src-shared/vocabulary';
import { UntrustedNodeKeyError, type ChatError } from './errors';
import type { ProfilesStore, ServerProfile } from './profiles';
import type { OfferedNode } from './types';

/** What the user is shown when a server offers a key not trusted there. */
export interface NodeConfirmationRequest {
  serverId: string;
  serverName: string;
  fingerprint: string;
  /** Keys trusted on this server, most recently seen first. */
  trustedFingerprints: string[];
  liveNodes: number;
  /** The conversation whose prompt waits (the app's chats; absent for the gateway). */
  conversationId?: string;
}

/** Asks the user; rejects (with the signal's reason) when the request stops first. */
export type ConfirmNode = (request: NodeConfirmationRequest, signal: AbortSignal | undefined) => Promise<NodeConfirmationDecision>;

export interface TrustGateDeps {
  profiles: ProfilesStore;
  confirmNode?: ConfirmNode | undefined;
  /** Fingerprints of the nodes this app runs itself: trusted on every server. */
  ownNodeFingerprints?: (() => readonly string[]) | undefined;
}

/** One chat's gate: decides per offered key, and remembers why the key it let through was trusted. */
export class TrustGate {
  private declined = false;
  private readonly trustOf = new Map<string, NodeTrust>();

  constructor(
    private readonly deps: TrustGateDeps,
    private readonly server: ServerProfile,
    private readonly conversationId: string | undefined,
    /** Told just before the user is asked (the chat shows it is waiting for them). */
    private readonly onAsking: (fingerprint: string) => void = () => undefined,
  ) {}

  /** Why `fingerprint` was let through (set once accept() returned null for it). */
  trust(fingerprint: string): NodeTrust | undefined {
    return this.trustOf.get(fingerprint);
  }

  async accept(offer: OfferedNode, signal: AbortSignal | undefined): Promise<ChatError | null> {
    const { fingerprint } = offer;
    const { profiles } = this.deps;
    const serverId = this.server.id;
    if (this.deps.ownNodeFingerprints?.().includes(fingerprint)) return this.let(fingerprint, 'own-node');
    const verdict = profiles.judgeNode(serverId, fingerprint);
    switch (verdict.kind) {
      case 'trusted':
        return this.let(fingerprint, verdict.source);
      case 'first-use':
        await profiles.trustNode(serverId, fingerprint, 'first-use');
        return this.let(fingerprint, 'first-use');
      case 'refuse':
        return new UntrustedNodeKeyError('node_key_not_trusted', fingerprint);
      case 'ask': {
        if (this.declined) return new UntrustedNodeKeyError('node_key_declined', fingerprint);
        if (!this.deps.confirmNode) return new UntrustedNodeKeyError('node_key_unconfirmed', fingerprint);
        this.onAsking(fingerprint);
        const decision = await this.deps.confirmNode(
          {
            serverId,
            serverName: this.server.name,
            fingerprint,
            trustedFingerprints: verdict.trusted,
            liveNodes: offer.liveNodes,
            ...(this.conversationId !== undefined && { conversationId: this.conversationId }),
          },
          signal,
        );
        if (decision === 'refuse') {
          this.declined = true;
          return new UntrustedNodeKeyError('node_key_declined', fingerprint);
        }
        if (decision === 'trust-any-node') {
          await profiles.setTrustPolicy(serverId, 'any-node');
          return this.let(fingerprint, 'any-node');
        }
        await profiles.trustNode(serverId, fingerprint, 'confirmed');
        return this.let(fingerprint, 'confirmed');
      }
    }
  }

  private let(fingerprint: string, trust: NodeTrust): null {
    this.trustOf.set(fingerprint, trust);
    return null;
  }
}
