// Starts the app: reads everything once, follows the backend's events, keeps the active server's
// health fresh, and applies the first-run choices (embedded relay on and selected). It talks to
// the backend only through the stores.
import { i18n } from '../i18n';
import { useApp } from '../stores/app';
import { useChat } from '../stores/chat';
import { useConversations } from '../stores/conversations';
import { useDesktop } from '../stores/desktop';
import { failed } from '../stores/feedback';
import { useModels } from '../stores/models';
import { useNode } from '../stores/node';
import { embeddedServer, useServers } from '../stores/servers';
import { useSettings } from '../stores/settings';
import { useTrust } from '../stores/trust';
import { useUi } from '../stores/ui';
import { useWorkspace } from '../stores/workspace';
import { providerSetupDismissed } from './local-prefs';

const HEALTH_EVERY_MS = 15_000;

export type BootResult = { state: 'ready' } | { state: 'locked' } | { state: 'failed'; message: string };

export interface BootOptions {
  healthEveryMs?: number;
}

/** Shown at once, before any boot, when this window has no bridge to the app. */
export function notConnected(): BootResult | undefined {
  return useApp.getState().connected() ? undefined : { state: 'failed', message: i18n.t('common:app.notConnected') };
}

/** Loads the app and returns a function that undoes the subscriptions and timers. */
export async function boot(options: BootOptions = {}): Promise<{ result: BootResult; stop: () => void }> {
  const stops: (() => void)[] = [];
  const stop = () => stops.splice(0).forEach((f) => f());
  try {
    const info = await useApp.getState().load();
    if (info.secretStorage === 'locked') return { result: { state: 'locked' }, stop };

    stops.push(useChat.getState().listen(), useServers.getState().listen(), useNode.getState().listen(), useTrust.getState().listen(), useModels.getState().listen(), useWorkspace.getState().listen(), useDesktop.getState().listen());

    await Promise.all([
      useSettings.getState().load(),
      useConversations.getState().load(),
      useServers.getState().load(),
      useNode.getState().load(),
      useTrust.getState().load(),
      useModels.getState().load(),
      useWorkspace.getState().load(),
    ]);
    if (info.firstRun) await firstRun();
    void useServers.getState().loadModels();

    const latest = useConversations.getState().summaries[0];
    if (latest) await useConversations.getState().open(latest.id);

    const probeActive = () => useServers.getState().probeActive();
    probeActive();
    const timer = setInterval(probeActive, options.healthEveryMs ?? HEALTH_EVERY_MS);
    stops.push(() => clearInterval(timer));

    const node = useNode.getState().status;
    if (node && !node.configured && !providerSetupDismissed()) useUi.getState().openDialog('provider');
    return { result: { state: 'ready' }, stop };
  } catch (e) {
    stop();
    return { result: { state: 'failed', message: failed(e).text }, stop };
  }
}

async function firstRun(): Promise<void> {
  const servers = useServers.getState();
  if (servers.relay && !servers.relay.enabled) await servers.setRelayEnabled(true);
  const embedded = embeddedServer(useServers.getState().list);
  if (embedded && useServers.getState().list?.activeId !== embedded.id) await servers.activate(embedded.id);
}
