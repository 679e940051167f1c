// Restart policy for the embedded relay and the app's node: when a host crashes, report
// 'crashed', wait (exponential backoff, capped), report 'restarting', start it again; 'running'
// once it is back. A deliberate stop() cancels any pending restart.
import type { SupervisedState } from '../../src-shared/vocabulary';

export interface SupervisorOptions {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Subscribes to crashes of the running host. */
  onCrash(listener: (error: Error) => void): () => void;
  onChange(state: SupervisedState): void;
  backoff: { initial: number; max: number };
  now?: () => number;
}

/** A host that ran this long before crashing starts over at the shortest delay. */
const STABLE_AFTER_MS = 60_000;

export class Supervisor {
  state: SupervisedState = 'stopped';
  restarts = 0;
  lastError: string | undefined;
  private wanted = false;
  private attempt = 0;
  private timer: NodeJS.Timeout | null = null;
  private runningSince = 0;
  private readonly unsubscribe: () => void;

  constructor(private readonly opts: SupervisorOptions) {
    this.unsubscribe = opts.onCrash((error) => this.crashed(error));
  }

  private set(state: SupervisedState): void {
    if (state === 'running') this.runningSince = (this.opts.now ?? Date.now)();
    this.state = state;
    this.opts.onChange(state);
  }

  /** Starts the host; rejects if the first start fails (the caller reports it). */
  async start(): Promise<void> {
    this.wanted = true;
    this.attempt = 0;
    this.clearTimer();
    if (this.state === 'running') return;
    this.set('starting');
    try {
      await this.opts.start();
      this.lastError = undefined;
      this.set('running');
    } catch (error) {
      this.wanted = false;
      this.lastError = plain(error);
      this.set('stopped');
      throw error;
    }
  }

  async stop(): Promise<void> {
    this.wanted = false;
    this.clearTimer();
    await this.opts.stop();
    this.set('stopped');
  }

  close(): void {
    this.wanted = false;
    this.clearTimer();
    this.unsubscribe();
  }

  private crashed(error: Error): void {
    if (!this.wanted) return;
    if (this.state === 'running' && (this.opts.now ?? Date.now)() - this.runningSince >= STABLE_AFTER_MS) this.attempt = 0;
    this.lastError = plain(error);
    this.set('crashed');
    this.scheduleRestart();
  }

  private scheduleRestart(): void {
    const delay = Math.min(this.opts.backoff.max, this.opts.backoff.initial * 2 ** this.attempt);
    this.attempt++;
    this.clearTimer();
    this.timer = setTimeout(() => void this.restart(), delay);
    this.timer.unref();
  }

  private async restart(): Promise<void> {
    this.timer = null;
    if (!this.wanted) return;
    this.set('restarting');
    try {
      await this.opts.start();
      if (!this.wanted) return;
      this.restarts++;
      this.lastError = undefined;
      this.set('running');
    } catch (error) {
      if (!this.wanted) return;
      this.lastError = plain(error);
      this.set('crashed');
      this.scheduleRestart();
    }
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}

/** Error text safe for the UI: first line only, no stack. Hosts must not put secrets in errors. */
function plain(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return (text.split('\n')[0] ?? '').slice(0, 300) || 'It stopped unexpectedly.';
}
