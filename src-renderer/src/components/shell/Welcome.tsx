// What the main area shows when there is no conversation yet.
import { useConversations } from '../../stores/conversations';
import { Icon } from '../ui/Icon';
import { LockBadge } from '../ui/LockBadge';

export function Welcome() {
  const create = useConversations((s) => s.create);
  return (
    <div className="welcome">
      <LockBadge size={24} />
      <h1>Private chat with open models</h1>
      <p>
        Messages are encrypted on this computer for the one node that answers. Relays pass them along without being able
        to read them.
      </p>
      <button type="button" className="btn btn--primary" onClick={() => void create()}>
        <Icon name="plus" size={15} /> Start a new chat
      </button>
      <p className="hint">
        Press <kbd>Ctrl</kbd>+<kbd>/</kbd> for keyboard shortcuts.
      </p>
    </div>
  );
}
