// The messages between the unwrap pool and its worker threads (structured clone).
import type { RsaPadding } from './keys';

export interface UnwrapJob {
  id: number;
  privateKeyPem: string;
  wrapped: Uint8Array;
  paddings: RsaPadding[];
}

export interface UnwrapReply {
  id: number;
  /** One entry per requested padding: the unwrapped bytes, or null. */
  opened: (Uint8Array | null)[];
}
