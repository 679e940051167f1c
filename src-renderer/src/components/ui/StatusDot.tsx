// The coloured dot beside a status; decorative, the words next to it say the same.
import type { Tone } from '../../lib/status';

export function StatusDot({ tone }: { tone: Tone }) {
  return <span className={`dot dot--${tone}`} aria-hidden="true" />;
}
