// The headless relay (bin/tokenplace-relay.js) as its own process, for benchmarks that measure
// its RSS and CPU alone: started on a free loopback port, stopped with SIGTERM.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface RelayProcess {
  url: string;
  pid: number;
  /** Resolves with the exit code (null when a signal ended it) once the process exited. */
  exited: Promise<number | null>;
  /** Sends a signal and returns at once (SIGTERM starts the relay's drain, §2.6.5; SIGKILL does not). */
  kill(signal: NodeJS.Signals): void;
  stop(): Promise<void>;
}

/**
 * `args`: more tokenplace-relay flags. `port`: where to listen (default 0, any free one; a relay
 * restarted on its old port is the same relay to its clients). With
 * `BENCH_RELAY_CPU_PROF_DIR` set, the relay writes a V8 CPU profile there when it stops
 * (`node --cpu-prof`), to see where a benchmark's relay time goes.
 */
export async function spawnRelayProcess(args: readonly string[], port = 0): Promise<RelayProcess> {
  const profileDir = process.env.BENCH_RELAY_CPU_PROF_DIR;
  const nodeFlags = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const child = spawn(process.execPath, [...nodeFlags, join(__dirname, '../../bin/tokenplace-relay.js'), '--port', String(port), ...args], { stdio: ['ignore', 'pipe', 'ignore'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`relay exited ${code}`)));
  });
  const exited = new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
  return {
    url,
    pid: child.pid!,
    exited,
    kill: (signal) => void child.kill(signal),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Resident set size of a process, MB (Linux /proc). */
export function rssMbOf(pid: number): number {
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);
  return Math.round((kb / 1024) * 10) / 10;
}

/** CPU time (user + system) a process has used so far, ms (Linux /proc; clock ticks of 10 ms). */
export function cpuMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After the command name: state is field 3, utime field 14, stime field 15 (1-based in proc(5)).
  return (Number(fields[11]) + Number(fields[12])) * 10;
}
