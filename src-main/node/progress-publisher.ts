// Encrypted progress for one request (§2.3.4, §2.4.8): coalesced to about one update per
// interval, phase changes sent at once, posts serialised so sequence numbers arrive in order,
// publishing stops for good when the relay says so. A streamed answer's text so far rides along
// for §11.6 snapshots (the sender decides what of it fits).
import type { InnerProgressBody } from '../../src-shared/protocol/inner-envelope';
import type { ProgressPhase } from '../../src-shared/vocabulary';
import type { ProgressResult } from './relay-api';

export interface ProgressSnapshot {
  phase: ProgressPhase;
  totalPromptTokens?: number;
  processedPromptTokens?: number;
  generatedTokens?: number;
}

/** Posts one update; `streamText` is the answer so far when it streams by snapshots (§11.6). */
export type ProgressSender = (progress: Omit<InnerProgressBody, 'schema_version'>, streamText?: string) => Promise<ProgressResult>;

export class ProgressPublisher {
  private sequence = 0;
  private lastSentAt = 0;
  private lastPhase: ProgressPhase | null = null;
  private pending: ProgressSnapshot | null = null;
  private latest: ProgressSnapshot | null = null;
  private streamText: string | undefined;
  /** The next update goes out at once (the first streamed text, like a phase change). */
  private urgent = false;
  private sending: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly send: ProgressSender,
    private readonly startedAt: number,
    private readonly intervalMs = 1000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Number of updates handed to the relay so far. */
  get sent(): number {
    return this.sequence;
  }

  update(snapshot: ProgressSnapshot): void {
    if (this.stopped) return;
    this.pending = snapshot;
    this.latest = snapshot;
    this.schedule();
  }

  /** The streamed answer's text so far (§11.6): the first goes out at once, later ones with the interval. */
  streamed(text: string): void {
    if (this.stopped) return;
    if (this.streamText === undefined) this.urgent = true;
    this.streamText = text;
    this.pending ??= { ...(this.latest ?? {}), phase: 'generating' };
    this.schedule();
  }

  private schedule(): void {
    if (this.stopped || this.sending || !this.pending) return;
    const phaseChanged = this.pending.phase !== this.lastPhase || this.urgent;
    const wait = phaseChanged ? 0 : Math.max(0, this.lastSentAt + this.intervalMs - this.now());
    if (wait === 0) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = null;
      this.flush();
    } else if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.flush();
      }, wait);
      this.timer.unref?.();
    }
  }

  private flush(): void {
    const snap = this.pending;
    if (!snap || this.stopped) return;
    this.pending = null;
    this.urgent = false;
    const total = snap.totalPromptTokens ?? 0;
    const processed = Math.min(snap.processedPromptTokens ?? (snap.phase === 'generating' ? total : 0), total);
    this.sequence += 1;
    this.lastPhase = snap.phase;
    this.lastSentAt = this.now();
    const body = {
      sequence: this.sequence,
      phase: snap.phase,
      total_prompt_tokens: total,
      cached_prompt_tokens: 0,
      processed_prompt_tokens: processed,
      generated_tokens: snap.generatedTokens ?? 0,
      elapsed_ms: Math.max(0, Math.round(this.now() - this.startedAt)),
    };
    this.sending = this.send(body, this.streamText)
      .then((result) => {
        if (result === 'stop') this.close();
      })
      .catch(() => {
        /* a lost progress update is not fatal (§2.3.4) */
      })
      .finally(() => {
        this.sending = null;
        this.schedule();
      });
  }

  /** Stops publishing; resolves when an in-progress post has settled. */
  async close(): Promise<void> {
    this.stopped = true;
    this.pending = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.sending) await this.sending;
  }
}
