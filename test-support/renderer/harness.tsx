// Test harness: a fresh fake api and fresh stores for every test, and the whole app rendered.
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from '../../src-renderer/src/App';
import { setApi } from '../../src-renderer/src/api/api';
import { setLanguage } from '../../src-renderer/src/i18n';
import { createFakeApi, type FakeApi, type FakeOptions } from './fake-api';
import { useApp } from '../../src-renderer/src/stores/app';
import { useChat } from '../../src-renderer/src/stores/chat';
import { useConversations } from '../../src-renderer/src/stores/conversations';
import { useModels } from '../../src-renderer/src/stores/models';
import { useNode } from '../../src-renderer/src/stores/node';
import { useServers } from '../../src-renderer/src/stores/servers';
import { useTrust } from '../../src-renderer/src/stores/trust';
import { useSettings } from '../../src-renderer/src/stores/settings';
import { useSteer } from '../../src-renderer/src/stores/steer';
import { useUi } from '../../src-renderer/src/stores/ui';
import { useWorkspace } from '../../src-renderer/src/stores/workspace';

export function resetStores(): void {
  for (const store of [useApp, useChat, useConversations, useModels, useNode, useServers, useSettings, useSteer, useTrust, useUi, useWorkspace]) {
    (store as { setState(s: unknown, replace: true): void }).setState(store.getInitialState(), true);
  }
  // Component tests query English words.
  void setLanguage('en');
  try {
    localStorage.clear();
  } catch {
    // no storage in this environment
  }
}

export function installFake(options?: FakeOptions): FakeApi {
  resetStores();
  const fake = createFakeApi(options);
  setApi(fake);
  return fake;
}

const bootOptions = { healthEveryMs: 3_600_000 };

export async function renderApp(fake: FakeApi) {
  const user = userEvent.setup();
  const view = render(<App bootOptions={bootOptions} />);
  await waitFor(() => {
    if (screen.queryByText('Opening token.place…')) throw new Error('still booting');
  });
  return { user, view, fake };
}
