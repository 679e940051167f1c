// The polite live region: answers and progress phases are read out without moving focus.
import { useUi } from '../../stores/ui';

export function LiveRegion() {
  const text = useUi((s) => s.announcement);
  const seq = useUi((s) => s.announceSeq);
  return (
    <div className="visually-hidden" aria-live="polite" aria-atomic="true" data-testid="live-region">
      <p key={seq}>{text}</p>
    </div>
  );
}
