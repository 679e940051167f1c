// What every bin's entry file does: hand the process's streams to the CLI's program (which tests
// drive in-process with their own streams), turn the stop signals into an AbortSignal — the first
// one asks the program to stop cleanly, a second one exits at once with 130 — and set the exit code.

export interface CliIo {
  argv: string[];
  env: Record<string, string | undefined>;
  stdin: AsyncIterable<Buffer | string> & { isTTY?: boolean };
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
  /** Aborted by the first stop signal; its reason is the signal's name (`SIGINT`). */
  signal: AbortSignal;
}

export type CliProgram = (io: CliIo) => Promise<number>;

/** The exit codes every bin uses. */
export const EXIT = { ok: 0, failed: 1, usage: 2, interrupted: 130 } as const;

/**
 * Reports a command line that cannot run, the way every bin does (`tokenplace-x: <message>`, then
 * what to do next: by default the pointer to --help), and returns the usage exit code.
 */
export function usageFailure(io: Pick<CliIo, 'stderr'>, bin: string, message: string, next = `Run ${bin} --help for usage.`): number {
  io.stderr.write(`${bin}: ${message}\n${next}\n`);
  return EXIT.usage;
}

/**
 * Resolves when the program is told to stop (at once when it already was), with the words for it:
 * the signal's name (`SIGTERM`), or `stop requested`.
 */
export function stopRequested(signal: AbortSignal): Promise<string> {
  return new Promise((resolve) => {
    const stop = () => resolve(typeof signal.reason === 'string' ? signal.reason : 'stop requested');
    if (signal.aborted) return stop();
    signal.addEventListener('abort', stop, { once: true });
  });
}

export function runBin(name: string, program: CliProgram, stopOn: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM']): void {
  const controller = new AbortController();
  let stops = 0;
  for (const signal of stopOn) {
    process.on(signal, () => {
      if (++stops > 1) process.exit(EXIT.interrupted);
      controller.abort(signal);
    });
  }
  const io: CliIo = {
    argv: process.argv.slice(2),
    env: process.env,
    // read lazily: a bin that never reads stdin must not open it
    get stdin() {
      return process.stdin;
    },
    stdout: process.stdout,
    stderr: process.stderr,
    signal: controller.signal,
  };
  program(io).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`${name}: unexpected failure: ${(err as Error)?.message ?? String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
