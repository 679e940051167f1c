// The browser side of the test bridge: a plain script (for Playwright's page.addInitScript) that
// defines `window.tokenplace` with exactly the preload's TokenPlaceApi shape — one method per
// contract channel, `events.<topic>(listener)` returning an unsubscribe — over loopback HTTP + SSE.
// The method list is generated from the contract, so it cannot drift from the preload.
import { eventChannels, invokeChannels, splitChannel } from '../../src-shared/ipc/contract';

export function bridgeShimScript(opts: { url: string; token: string }): string {
  const config = {
    url: opts.url,
    token: opts.token,
    invoke: Object.keys(invokeChannels).map((channel) => ({ channel, ...splitChannel(channel) })),
    events: Object.keys(eventChannels).map((channel) => ({ channel, topic: splitChannel(channel).method })),
  };
  return `(() => {
  'use strict';
  const config = ${JSON.stringify(config)};
  const unreachable = { code: 'bridge_unreachable', message: 'The test bridge could not be reached.' };
  const api = {};
  for (const { channel, namespace, method } of config.invoke) {
    (api[namespace] = api[namespace] || {})[method] = (request) =>
      fetch(config.url + '/invoke/' + encodeURIComponent(channel), {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer ' + config.token },
        body: JSON.stringify(request === undefined ? {} : request),
      }).then(
        (res) => res.json().catch(() => { throw unreachable; }),
        () => { throw unreachable; },
      ).then((result) => {
        if (result && result.ok === true) return result.value;
        const error = (result && result.error) || {};
        // Same rejection shape as the Electron preload: a plain { code, message } object.
        throw { code: String(error.code || 'internal'), message: String(error.message || 'The request failed.') };
      });
  }
  const listeners = new Map();
  for (const { channel } of config.events) listeners.set(channel, new Set());
  const source = new EventSource(config.url + '/events?token=' + encodeURIComponent(config.token));
  source.onmessage = (event) => {
    let data;
    try { data = JSON.parse(event.data); } catch { return; }
    const set = listeners.get(data.channel);
    if (!set) return;
    for (const listener of [...set]) {
      try { listener(data.payload); } catch (error) { console.error(error); }
    }
  };
  api.events = {};
  for (const { channel, topic } of config.events) {
    api.events[topic] = (listener) => {
      if (typeof listener !== 'function') throw new TypeError('listener must be a function');
      const wrapped = (payload) => listener(payload);
      listeners.get(channel).add(wrapped);
      return () => { listeners.get(channel).delete(wrapped); };
    };
  }
  for (const value of Object.values(api)) Object.freeze(value);
  Object.defineProperty(window, 'tokenplace', { value: Object.freeze(api), enumerable: true, configurable: false, writable: false });
})();
`;
}
