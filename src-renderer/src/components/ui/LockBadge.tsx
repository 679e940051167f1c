// The round lock badge above a welcome, an empty conversation or the unlock form.
import { Icon } from './Icon';

export function LockBadge({ size }: { size: number }) {
  return (
    <div className="empty-conversation__badge" aria-hidden="true">
      <Icon name="lock" size={size} />
    </div>
  );
}
