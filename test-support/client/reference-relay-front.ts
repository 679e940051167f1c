// TEST ONLY. Our relay behind a front that behaves like the reference relay (relay.py) on the two
// points that decide aead-v1 negotiation and whether anyone can answer as a node:
//   - it drops `proof` from registrations: relay.py knows nothing of docs/protocol.md §9, so our
//     node registers unverified there and anyone holding the node's public key can poll and answer
//     for it (issue 11 §1 — the client's own check, §10.5.2, is all that stands in the way);
//   - it drops `e2ee_profiles` from servers/next (relay.py `_api_v1_safe_selected_server_payload`),
//     so a client learns that a node speaks aead-v1 only inside the encrypted channel (§10.6 way 2).
// Every other call and every envelope field passes through unchanged.
import http from 'node:http';
import { serveOnLoopback } from './loopback';

export interface ReferenceRelayFront {
  url: string;
  close(): Promise<void>;
}

const REGISTER = '/api/v1/relay/servers/register';
const NEXT = '/api/v1/relay/servers/next';
const HOP_HEADERS = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive']);

function withoutKey(json: Buffer, key: string): Buffer {
  const value = JSON.parse(json.toString('utf8')) as Record<string, unknown>;
  delete value[key];
  return Buffer.from(JSON.stringify(value));
}

export async function startReferenceRelayFront(relayUrl: string): Promise<ReferenceRelayFront> {
  const server = http.createServer(async (req, res) => {
    const abort = new AbortController();
    res.on('close', () => abort.abort());
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const path = req.url ?? '/';
      let body: Buffer | undefined = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
      if (body && req.method === 'POST' && path === REGISTER) body = withoutKey(body, 'proof');
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) if (!HOP_HEADERS.has(name) && typeof value === 'string') headers[name] = value;
      const upstream = await fetch(`${relayUrl}${path}`, { method: req.method ?? 'GET', headers, ...(body && { body }), signal: abort.signal });
      let out: Buffer = Buffer.from(await upstream.arrayBuffer());
      if (upstream.status === 200 && path.startsWith(NEXT)) out = withoutKey(out, 'e2ee_profiles');
      res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' });
      res.end(out);
    } catch {
      if (!res.headersSent && !res.destroyed) res.writeHead(502).end();
    }
  });
  const url = await serveOnLoopback(server);
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
