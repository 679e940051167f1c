// JSON POSTs over one keep-alive agent (node:http), for the benchmarks' load generators: much less
// CPU per request than fetch, so the machine's cores go to what is measured.
import { Agent, request } from 'node:http';

const agent = new Agent({ keepAlive: true, maxSockets: 256 });

export interface PostReply<T> {
  status: number;
  body: T;
}

export function keepAlivePost<T = Record<string, unknown>>(base: string, path: string, body: unknown): Promise<PostReply<T>> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, base), { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: (text ? JSON.parse(text) : {}) as T }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}
