// The relay's counters are tallied in Maps and handed to prom-client when scraped (metrics.ts):
// a scrape shows every count so far, by its labels, and a later scrape the counts since added.
import { describe, expect, it } from 'vitest';
import { createRelayMetrics } from './metrics';

const sources = {
  nodeCount: async () => 0,
  entryCounts: async () => ({ records: 0, lists: 0, sets: 0, timers: 0, counters: 0, waiters: 0 }),
  streamBufferedBytes: async () => 0,
  heldRequests: async () => ({ queued: 0, in_flight: 0, awaiting_delivery: 0 }),
};

describe('relay metrics', () => {
  it('scrapes the tallied request, event and stream-chunk counts with their labels', async () => {
    const metrics = createRelayMetrics(sources, false);
    metrics.observeHttp('/api/v1/relay/requests', 'POST', 200, 0.002);
    metrics.observeHttp('/api/v1/relay/requests', 'POST', 200, 0.003);
    metrics.observeHttp('/api/v1/relay/requests', 'POST', 429, 0.001);
    metrics.countEvent('submitted');
    metrics.countEvent('submitted');
    metrics.countEvent('delivered');
    metrics.countStreamChunks('appended', 3);
    metrics.countStreamChunks('appended', 2);
    let text = await metrics.registry.metrics();
    expect(text).toContain('tokenplace_relay_http_requests_total{route="/api/v1/relay/requests",method="POST",status="200"} 2');
    expect(text).toContain('tokenplace_relay_http_requests_total{route="/api/v1/relay/requests",method="POST",status="429"} 1');
    expect(text).toContain('tokenplace_relay_http_request_duration_seconds_count{route="/api/v1/relay/requests"} 3');
    expect(text).toContain('tokenplace_relay_request_events_total{event="submitted"} 2');
    expect(text).toContain('tokenplace_relay_request_events_total{event="delivered"} 1');
    expect(text).toContain('tokenplace_relay_stream_chunks_total{event="appended"} 5');
    metrics.countEvent('submitted');
    metrics.countStreamChunks('read', 4);
    text = await metrics.registry.metrics();
    expect(text).toContain('tokenplace_relay_request_events_total{event="submitted"} 3');
    expect(text).toContain('tokenplace_relay_stream_chunks_total{event="read"} 4');
    expect(text).toContain('tokenplace_relay_stream_chunks_total{event="appended"} 5');
  });
});
