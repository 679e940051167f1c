// The headless compute node (bin/tokenplace-node.js) as its own process, for tests that kill it:
// started against a relay, ready once it says it registered; SIGKILL is a node that dies mid-work.
import { spawn } from 'node:child_process';
import { join } from 'node:path';

export interface NodeProcess {
  /** Resolves once the process exited. */
  exited: Promise<void>;
  kill(signal: NodeJS.Signals): Promise<void>;
}

/** `args`: more tokenplace-node flags (provider, concurrency, …). */
export function spawnNodeProcess(relayUrl: string, args: readonly string[]): Promise<NodeProcess> {
  const child = spawn(process.execPath, [join(__dirname, '../../bin/tokenplace-node.js'), '--relay', relayUrl, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const kill = async (signal: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill(signal);
    await exited;
  };
  return new Promise((resolve, reject) => {
    let out = '';
    let ready = false;
    // Read on after it is ready (a full pipe would stall the node), keeping nothing.
    const onData = (c: Buffer) => {
      if (ready) return;
      out += c;
      if (/registered/i.test(out)) {
        ready = true;
        resolve({ exited, kill });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`node exited ${code} before it registered: ${out.slice(-400)}`)));
  });
}
