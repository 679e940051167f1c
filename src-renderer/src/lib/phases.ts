// Words for the waiting phases of an encrypted request (what the node reports in §2.3.4 progress):
// i18n keys, `t(PHASE_LABEL[phase])`.
import type { ChatPhase } from '../../../src-shared/vocabulary';

export const PHASE_LABEL: Record<ChatPhase, string> = {
  finding_node: 'chat:phase.finding_node',
  confirming_node: 'chat:phase.confirming_node',
  submitting: 'chat:phase.submitting',
  queued: 'chat:phase.queued',
  preparing: 'chat:phase.preparing',
  prefill: 'chat:phase.prefill',
  generating: 'chat:phase.generating',
};

/** The steps drawn under the label; `confirming_node` (only when a new key needs the user) sits on the first. */
export const PHASE_ORDER: ChatPhase[] = ['finding_node', 'submitting', 'queued', 'preparing', 'prefill', 'generating'];

export function formatElapsed(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
}
