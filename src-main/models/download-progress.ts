// Download progress as people see it: bytes, speed over the last seconds, time left.

export interface DownloadProgress {
  receivedBytes: number;
  /** Unknown until the server says (and for servers that do not). */
  totalBytes?: number;
  /** Average over the last few seconds. */
  bytesPerSecond: number;
  secondsLeft?: number;
  /** Bytes that were already on disk when this run started (resumed downloads). */
  resumedFromBytes: number;
}

const WINDOW_MS = 5000;

export class SpeedMeter {
  private readonly samples: { at: number; bytes: number }[] = [];

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** Records the running byte count and returns the speed over the window. */
  record(totalBytes: number): number {
    const at = this.now();
    this.samples.push({ at, bytes: totalBytes });
    while (this.samples.length > 2 && at - this.samples[0]!.at > WINDOW_MS) this.samples.shift();
    const first = this.samples[0]!;
    const elapsed = (at - first.at) / 1000;
    return elapsed > 0 ? (totalBytes - first.bytes) / elapsed : 0;
  }
}

export function progressOf(receivedBytes: number, totalBytes: number | undefined, bytesPerSecond: number, resumedFromBytes: number): DownloadProgress {
  const secondsLeft =
    totalBytes !== undefined && bytesPerSecond > 0 ? Math.max(0, (totalBytes - receivedBytes) / bytesPerSecond) : undefined;
  return { receivedBytes, totalBytes, bytesPerSecond, secondsLeft, resumedFromBytes };
}
