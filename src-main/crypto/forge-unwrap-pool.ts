// A small pool of worker threads for RSA session-key unwraps (§1.3, §1.9.4), so node-forge's
// PKCS#1 v1.5 decryption (tens of milliseconds of JavaScript) never blocks the event loop of the
// node that polls, heartbeats and answers. Workers start on first use, are unref'd while idle (an
// idle pool never keeps a process alive), and are replaced when one dies; the queue is bounded.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { UnwrapUnavailableError } from './errors';
import type { UnwrapJob, UnwrapReply } from './forge-unwrap-messages';
import { locateUnwrapWorker, type WorkerScript } from './forge-unwrap-worker-file';
import type { RsaPadding } from './keys';

export interface UnwrapPoolOptions {
  /** Worker threads (default: one per spare core, 1–4). */
  size?: number;
  /** Jobs that may wait for a free worker; one more is refused (default 256). */
  maxQueued?: number;
  /** The worker script (default: locateUnwrapWorker()). */
  script?: WorkerScript;
}

interface Job {
  message: UnwrapJob;
  resolve(opened: (Buffer | null)[]): void;
  reject(error: Error): void;
}

interface Slot {
  worker: Worker;
  job: Job | null;
}

const DEFAULT_MAX_QUEUED = 256;

function defaultSize(): number {
  return Math.max(1, Math.min(4, availableParallelism() - 1));
}

export class RsaUnwrapPool {
  private readonly size: number;
  private readonly maxQueued: number;
  private script: WorkerScript | undefined;
  private readonly slots = new Set<Slot>();
  private readonly queue: Job[] = [];
  private nextId = 1;

  constructor(private readonly options: UnwrapPoolOptions = {}) {
    this.size = options.size ?? defaultSize();
    this.maxQueued = options.maxQueued ?? DEFAULT_MAX_QUEUED;
    if (!Number.isInteger(this.size) || this.size < 1) throw new RangeError('size must be a whole number ≥ 1');
    if (!Number.isInteger(this.maxQueued) || this.maxQueued < 0) throw new RangeError('maxQueued must be a whole number ≥ 0');
  }

  /** Worker threads running now (busy or idle). */
  get threads(): number {
    return this.slots.size;
  }

  /**
   * Unwraps `wrapped` with every padding in `paddings` on a worker thread. Resolves one entry per
   * padding (bytes or null); rejects only with UnwrapUnavailableError (queue full, pool closed,
   * worker died), never because of what `wrapped` holds.
   */
  unwrap(privateKeyPem: string, wrapped: Uint8Array, paddings: readonly RsaPadding[]): Promise<(Buffer | null)[]> {
    if (this.queue.length >= this.maxQueued && !this.idleOrSpawnable()) {
      return Promise.reject(new UnwrapUnavailableError('Too many decryptions are waiting; try again shortly.'));
    }
    return new Promise((resolve, reject) => {
      const message: UnwrapJob = { id: this.nextId++, privateKeyPem, wrapped: Uint8Array.from(wrapped), paddings: [...paddings] };
      this.queue.push({ message, resolve, reject });
      this.dispatch();
    });
  }

  /** Stops every worker; waiting and running jobs reject. The next unwrap starts workers again. */
  async close(): Promise<void> {
    const stopped = new UnwrapUnavailableError('Decryption stopped because the node is shutting down.');
    for (const job of this.queue.splice(0)) job.reject(stopped);
    const slots = [...this.slots];
    this.slots.clear();
    for (const slot of slots) slot.job?.reject(stopped);
    await Promise.all(slots.map((slot) => slot.worker.terminate()));
  }

  private idleOrSpawnable(): boolean {
    if (this.slots.size < this.size) return true;
    for (const slot of this.slots) if (!slot.job) return true;
    return false;
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const slot = this.idleSlot() ?? this.spawn();
      if (!slot) return;
      const job = this.queue.shift()!;
      slot.job = job;
      slot.worker.ref();
      slot.worker.postMessage(job.message);
    }
  }

  private idleSlot(): Slot | undefined {
    for (const slot of this.slots) if (!slot.job) return slot;
    return undefined;
  }

  private spawn(): Slot | undefined {
    if (this.slots.size >= this.size) return undefined;
    let script: WorkerScript;
    try {
      script = this.script ??= this.options.script ?? locateUnwrapWorker();
    } catch (error) {
      const unavailable = new UnwrapUnavailableError((error as Error).message);
      for (const job of this.queue.splice(0)) job.reject(unavailable);
      return undefined;
    }
    const worker = new Worker(script.code, { eval: script.eval });
    const slot: Slot = { worker, job: null };
    worker.on('message', (reply: UnwrapReply) => {
      const job = slot.job;
      if (!job || reply.id !== job.message.id) return;
      slot.job = null;
      worker.unref();
      job.resolve(reply.opened.map((bytes) => (bytes === null ? null : Buffer.from(bytes))));
      this.dispatch();
    });
    const lost = () => {
      if (!this.slots.delete(slot)) return;
      slot.job?.reject(new UnwrapUnavailableError('A decryption worker stopped unexpectedly; try again.'));
      slot.job = null;
      this.dispatch();
    };
    worker.on('error', lost);
    worker.on('exit', lost);
    worker.unref();
    this.slots.add(slot);
    return slot;
  }
}

let shared: RsaUnwrapPool | undefined;

/** The process-wide pool that decryptEnvelopeUniform uses unless given another. */
export function sharedUnwrapPool(): RsaUnwrapPool {
  return (shared ??= new RsaUnwrapPool());
}

/** Stops the shared pool's workers (a clean shutdown; a later decryption starts them again). */
export async function closeSharedUnwrapPool(): Promise<void> {
  await shared?.close();
}
