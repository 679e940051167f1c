// What a conversation without messages shows: how its messages are protected.
import { LockBadge } from '../ui/LockBadge';

export function EmptyConversation() {
  return (
    <div className="empty-conversation">
      <LockBadge size={22} />
      <h2>Start an encrypted conversation</h2>
      <p>
        Your message is encrypted on this computer for the node that answers it. The relay in between only ever sees
        ciphertext.
      </p>
    </div>
  );
}
