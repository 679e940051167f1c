// A loopback stand-in for an Electron release mirror (what ELECTRON_MIRROR points at), so tests
// can run Electron's real install step without the network. It serves
// `/v<version>/electron-v<version>-<platform>-<arch>.zip` — an executable `electron` shell script
// (at the platform's path inside the zip), `version` and `LICENSE` — next to the
// `SHASUMS256.txt` @electron/get checks it against, and records every request path.
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { ZipFile } from 'yazl';
import { serveOnLoopback } from '../client/loopback';

export interface StandInMirror {
  /** Base URL with a trailing slash, as ELECTRON_MIRROR wants it. */
  url: string;
  zipName: string;
  /** Request paths in arrival order. */
  requests: string[];
  close(): Promise<void>;
}

export interface StandInMirrorOptions {
  version: string;
  platform?: NodeJS.Platform;
  arch?: string;
  /** 'wrong' lists a checksum in SHASUMS256.txt that the zip does not have. */
  checksum?: 'right' | 'wrong';
}

/** What the stand-in `electron` prints when run. */
export const STAND_IN_GREETING = 'stand-in electron';

/** Where Electron's install step expects the binary inside the zip (its getPlatformPath). */
function binaryPathInZip(platform: NodeJS.Platform): string {
  if (platform === 'darwin') return 'Electron.app/Contents/MacOS/Electron';
  if (platform === 'linux' || platform === 'freebsd' || platform === 'openbsd') return 'electron';
  throw new Error(`The stand-in Electron is a shell script; there is none for platform ${platform}`);
}

async function standInZip(version: string, platform: NodeJS.Platform): Promise<Buffer> {
  const zip = new ZipFile();
  zip.addBuffer(Buffer.from(`#!/bin/sh\necho "${STAND_IN_GREETING} v${version} $*"\n`), binaryPathInZip(platform), { mode: 0o100755 });
  zip.addBuffer(Buffer.from(`v${version}`), 'version');
  zip.addBuffer(Buffer.from('MIT License (stand-in Electron for tests)\n'), 'LICENSE');
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function startStandInMirror(options: StandInMirrorOptions): Promise<StandInMirror> {
  const { version, platform = process.platform, arch = process.arch, checksum = 'right' } = options;
  const zipName = `electron-v${version}-${platform}-${arch}.zip`;
  const zip = await standInZip(version, platform);
  const digest = createHash('sha256').update(checksum === 'right' ? zip : Buffer.from('not the zip')).digest('hex');
  const files = new Map<string, Buffer>([
    [`/v${version}/${zipName}`, zip],
    [`/v${version}/SHASUMS256.txt`, Buffer.from(`${digest} *${zipName}\n`)],
  ]);
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const body = files.get(req.url ?? '');
    if (!body) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length }).end(body);
  });
  const base = await serveOnLoopback(server);
  return {
    url: `${base}/`,
    zipName,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
