// The node's JSON POSTs to its relay (docs/protocol.md §2.4.5–§2.4.9, §11.4) over node:http(s)
// keep-alive connections. A fetch costs several times the CPU of an http.request (web streams and
// per-request objects), and a streaming node appends up to ~50 times a second per answer (§11.3),
// besides its polls and answers. Same contract as a fetch: the status and the body text, or a
// throw when no answer came (refused, reset, timed out, aborted). A redirect (3xx) is not
// followed here: the caller then asks fetch, which follows it as before.
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

export interface PostAnswer {
  status: number;
  text: string;
}

/** One pool per process (as fetch's global dispatcher); idle sockets close before the relay's keep-alive hint. */
const httpAgent = new HttpAgent({ keepAlive: true });
const httpsAgent = new HttpsAgent({ keepAlive: true });

/** Whether `postJson` can carry a call to `url` (http and https URLs). */
export function canPostDirectly(url: string): boolean {
  return url.startsWith('http://') || url.startsWith('https://');
}

/** POSTs `payload` (JSON text); `signal` aborts (a timeout, a cancel) with no answer. */
export function postJson(url: string, payload: string, headers: Readonly<Record<string, string>>, signal: AbortSignal): Promise<PostAnswer> {
  return new Promise<PostAnswer>((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const secure = url.startsWith('https://');
    const send = secure ? httpsRequest : httpRequest;
    let res: IncomingMessage | undefined;
    const onAbort = () => {
      req.destroy(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
      res?.destroy();
    };
    const req = send(
      url,
      {
        method: 'POST',
        agent: secure ? httpsAgent : httpAgent,
        headers: { ...headers, 'content-length': Buffer.byteLength(payload) },
      },
      (answer) => {
        res = answer;
        let text = '';
        answer.setEncoding('utf8');
        answer.on('data', (piece: string) => (text += piece));
        answer.on('end', () => {
          signal.removeEventListener('abort', onAbort);
          resolve({ status: answer.statusCode ?? 0, text });
        });
        answer.on('error', (err) => {
          signal.removeEventListener('abort', onAbort);
          reject(err);
        });
        // A connection that closes mid-body without an error ('aborted' on older Node) is no answer.
        answer.on('aborted', () => reject(new Error('answer cut off')));
      },
    );
    signal.addEventListener('abort', onAbort, { once: true });
    req.on('error', (err) => {
      signal.removeEventListener('abort', onAbort);
      reject(err);
    });
    req.end(payload);
  });
}
