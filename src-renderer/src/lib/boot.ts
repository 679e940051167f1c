// Starts the app: reads everything once, subscribes to the backend's events, keeps the active
// server's health fresh, and applies the first-run choices (embedded relay on and selected).
import { api } from '../api/api';
import { describeError } from '../api/errors';
import { useChat } from '../stores/chat';
import { useConversations } from '../stores/conversations';
import { activeServer, useServers } from '../stores/servers';
import { useSettings } from '../stores/settings';
import { useUi } from '../stores/ui';

export const PROVIDER_SETUP_DISMISSED = 'tokenplace.providerSetupDismissed';
const HEALTH_EVERY_MS = 15_000;

export type BootResult = { state: 'ready' } | { state: 'locked' } | { state: 'failed'; message: string };

export interface BootOptions {
  healthEveryMs?: number;
}

/** Loads the app and returns a function that undoes the subscriptions and timers. */
export async function boot(options: BootOptions = {}): Promise<{ result: BootResult; stop: () => void }> {
  const stops: (() => void)[] = [];
  const stop = () => stops.splice(0).forEach((f) => f());
  try {
    const info = await api().app.info({});
    useSettings.getState().setInfo(info);
    if (info.secretStorage === 'locked') return { result: { state: 'locked' }, stop };

    const tp = api();
    stops.push(tp.events.chat((e) => useChat.getState().handleEvent(e)));
    stops.push(tp.events.servers((l) => useServers.getState().setList(l)));
    stops.push(tp.events.relay((r) => useServers.getState().setRelay(r)));
    stops.push(
      tp.events.node((n) => {
        const before = useServers.getState().node?.state;
        useServers.getState().setNode(n);
        if (before !== n.state) {
          const active = activeServer(useServers.getState().list);
          if (active?.kind === 'embedded') void useServers.getState().probe(active.id);
        }
      }),
    );

    await Promise.all([useSettings.getState().load(), useConversations.getState().load(), useServers.getState().load()]);
    if (info.firstRun) await firstRun();
    void useServers.getState().loadModels();

    const latest = useConversations.getState().summaries[0];
    if (latest) await useConversations.getState().open(latest.id);

    const probeActive = () => {
      const active = activeServer(useServers.getState().list);
      if (active) void useServers.getState().probe(active.id);
    };
    probeActive();
    const timer = setInterval(probeActive, options.healthEveryMs ?? HEALTH_EVERY_MS);
    stops.push(() => clearInterval(timer));

    const node = useServers.getState().node;
    if (node && !node.configured && !providerSetupDismissed()) useUi.getState().openDialog('provider');
    return { result: { state: 'ready' }, stop };
  } catch (e) {
    stop();
    return { result: { state: 'failed', message: describeError(e) }, stop };
  }
}

async function firstRun(): Promise<void> {
  const servers = useServers.getState();
  if (servers.relay && !servers.relay.enabled) await servers.setRelayEnabled(true);
  const embedded = useServers.getState().list?.servers.find((s) => s.kind === 'embedded');
  if (embedded && useServers.getState().list?.activeId !== embedded.id) await servers.activate(embedded.id);
}

export function providerSetupDismissed(): boolean {
  try {
    return localStorage.getItem(PROVIDER_SETUP_DISMISSED) === '1';
  } catch {
    return false;
  }
}

export function dismissProviderSetup(): void {
  try {
    localStorage.setItem(PROVIDER_SETUP_DISMISSED, '1');
  } catch {
    // Storage may be unavailable; the screen then shows again next start, which is harmless.
  }
}
