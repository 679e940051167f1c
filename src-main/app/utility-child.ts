// Main side of one utility process: starts it on demand, sends calls and matches results by id,
// and tells listeners when the process dies without being asked to (a crash).
import type { ZodType } from 'zod';
import { AppError, isRegisteredErrorCode } from '../../src-shared/errors';
import type { NodeHostStatus } from '../backend';
import { ChildMessageSchema } from './utility/messages';

/** The part of Electron's UtilityProcess this needs (a fake in tests). */
export interface UtilityProcessLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  kill(): boolean;
}

export class UtilityProcessExitedError extends Error {
  constructor(label: string, code: number | string) {
    super(`The ${label} process stopped unexpectedly (exit ${code}).`);
    this.name = 'UtilityProcessExitedError';
  }
}

export class UtilityCallError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UtilityCallError';
  }
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  schema: ZodType;
  timer: NodeJS.Timeout;
}

export interface UtilityChildOptions {
  label: string;
  fork(): UtilityProcessLike;
  /** A call that gets no result within this time fails (default 60 s). */
  callTimeoutMs?: number;
}

export class UtilityChild {
  private child: UtilityProcessLike | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** Processes killed on purpose: their exit is not a crash. */
  private readonly killed = new WeakSet<UtilityProcessLike>();
  private readonly crashListeners = new Set<(error: Error) => void>();
  private readonly statusListeners = new Set<(status: NodeHostStatus) => void>();

  constructor(private readonly opts: UtilityChildOptions) {}

  get running(): boolean {
    return this.child !== undefined;
  }

  call<T>(message: Record<string, unknown>, resultSchema: ZodType<T>): Promise<T> {
    const child = this.ensureChild();
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new UtilityCallError(`The ${this.opts.label} process did not answer in time.`));
      }, this.opts.callTimeoutMs ?? 60_000);
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, schema: resultSchema, timer });
      child.postMessage({ type: 'call', id, ...message });
    });
  }

  /** Stops the process on purpose (no crash is reported). */
  kill(): void {
    const child = this.child;
    if (!child) return;
    this.killed.add(child);
    this.child = undefined;
    child.kill();
    this.failPending(new UtilityCallError(`The ${this.opts.label} process was stopped.`));
  }

  onCrash(listener: (error: Error) => void): () => void {
    this.crashListeners.add(listener);
    return () => this.crashListeners.delete(listener);
  }

  onStatus(listener: (status: NodeHostStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  private ensureChild(): UtilityProcessLike {
    if (this.child) return this.child;
    const child = this.opts.fork();
    this.child = child;
    child.on('message', (raw) => this.receive(child, raw));
    child.on('exit', (code) => {
      if (this.killed.has(child)) return;
      this.child = undefined;
      const error = new UtilityProcessExitedError(this.opts.label, code);
      this.failPending(error);
      this.crashed(error);
    });
    return child;
  }

  private receive(child: UtilityProcessLike, raw: unknown): void {
    if (child !== this.child) return;
    const parsed = ChildMessageSchema.safeParse(raw);
    if (!parsed.success) return;
    const message = parsed.data;
    if (message.type === 'result') {
      const pending = this.pending.get(message.id);
      if (!pending) return;
      this.pending.delete(message.id);
      clearTimeout(pending.timer);
      if (!message.ok) {
        const { code, message: text } = message.error;
        // A domain error of the child (its message is meant for the user) stays one in main.
        return pending.reject(code && isRegisteredErrorCode(code) ? new AppError(code, text) : new UtilityCallError(text));
      }
      const value = pending.schema.safeParse(message.value);
      if (value.success) pending.resolve(value.data);
      else pending.reject(new UtilityCallError(`The ${this.opts.label} process sent a malformed result.`));
    } else if (message.type === 'status') {
      for (const listener of this.statusListeners) listener(message.status);
    } else if (message.type === 'crash') {
      // The host inside failed: end the process so a restart starts clean.
      this.kill();
      this.crashed(new UtilityCallError(message.error));
    }
  }

  private failPending(error: Error): void {
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      this.pending.delete(id);
      pending.reject(error);
    }
  }

  private crashed(error: Error): void {
    for (const listener of this.crashListeners) listener(error);
  }
}
