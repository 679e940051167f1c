// The model library in the window: the Models dialog (facts, download with its progress bar,
// pause/resume/cancel, use, delete after a confirmation, add from an address, import), and the
// first run offering "Download a small model" first when no local model server is found.
import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { setApi } from './api/api';
import { progressText } from './components/models/DownloadBar';
import { FAKE_SMALL_MODEL } from '../../test-support/renderer/fake-api';
import { installFake, renderApp } from '../../test-support/renderer/harness';

afterEach(() => setApi(undefined));

const FILE = FAKE_SMALL_MODEL.fileName;
const NAME = FAKE_SMALL_MODEL.name;

async function openModels(user: Awaited<ReturnType<typeof renderApp>>['user']) {
  await user.click(await screen.findByRole('button', { name: 'Models' }));
  return screen.findByRole('dialog', { name: 'Models' });
}

const row = (dialog: HTMLElement, name: string) => within(dialog).getByRole('listitem', { name });

describe('the model library', () => {
  it('opens from this computer’s node panel in the Servers dialog', async () => {
    const fake = installFake();
    const { user } = await renderApp(fake);
    await user.click(await screen.findByRole('button', { name: /Open servers/ }));
    const servers = await screen.findByRole('dialog', { name: 'Servers' });
    await user.click(within(servers).getByRole('button', { name: 'Model library…' }));
    const models = await screen.findByRole('dialog', { name: 'Models' });
    expect(within(models).getByRole('listitem', { name: NAME })).toBeInTheDocument();
    expect(screen.queryByRole('dialog', { name: 'Servers' })).toBeNull();
  });

  it('lists the curated model with its facts, downloads it with a progress bar, pauses, resumes and uses it', async () => {
    const fake = installFake();
    const { user } = await renderApp(fake);
    const dialog = await openModels(user);
    const model = row(dialog, NAME);
    expect(model).toHaveTextContent('Not downloaded');
    expect(model).toHaveTextContent('0.5B parameters · Q4_K_M · 398 MB · about 982 MB of memory · Licence: Apache-2.0');
    expect(within(model).getByRole('link', { name: 'Apache-2.0' })).toHaveAttribute('href', FAKE_SMALL_MODEL.licence!.url);
    expect(dialog).toHaveTextContent('50 GB free on this disk.');

    await user.click(within(model).getByRole('button', { name: `Download ${NAME}` }));
    expect(fake.calls.at(-1)).toEqual({ channel: 'models:download', request: { fileName: FILE } });
    fake.downloadProgress(FILE, 120_000_000, 5_000_000);
    const bar = await within(model).findByRole('progressbar', { name: `Download of ${NAME}` });
    expect(bar).toHaveAttribute('aria-valuenow', '30');
    expect(model).toHaveTextContent('120 MB of 398 MB · 5.0 MB/s · about 56 s left');

    await user.click(within(model).getByRole('button', { name: `Pause the download of ${NAME}` }));
    await within(model).findByText('Paused');
    expect(model).toHaveTextContent('Stopped at 120 MB of 398 MB');
    await user.click(within(model).getByRole('button', { name: `Resume the download of ${NAME}` }));
    await within(model).findByText('Downloading');
    fake.finishDownload(FILE);
    await within(model).findByText('Downloaded');
    expect(within(model).queryByRole('progressbar')).toBeNull();

    await user.click(within(model).getByRole('button', { name: `Use ${NAME} on this computer’s node` }));
    await within(model).findByText('Used by this computer’s node');
    expect(fake.state.node.config).toMatchObject({ provider: 'local', model: FILE.replace('.gguf', '') });
    expect(within(model).getByRole('button', { name: `Delete ${NAME}…` })).toBeDisabled();
  });

  it('cancels a download, and deletes a model only after a confirmation that says what it frees', async () => {
    const fake = installFake();
    const { user } = await renderApp(fake);
    const dialog = await openModels(user);
    const model = row(dialog, NAME);
    await user.click(within(model).getByRole('button', { name: `Download ${NAME}` }));
    fake.downloadProgress(FILE, 40_000_000);
    await user.click(await within(model).findByRole('button', { name: `Cancel the download of ${NAME}` }));
    await within(model).findByText('Not downloaded');
    expect(fake.calls.some((c) => c.channel === 'models:cancel')).toBe(true);

    await user.click(within(model).getByRole('button', { name: `Download ${NAME}` }));
    fake.finishDownload(FILE);
    await user.click(await within(model).findByRole('button', { name: `Delete ${NAME}…` }));
    const confirm = within(model).getByRole('group', { name: `Delete ${NAME}?` });
    expect(confirm).toHaveTextContent('This frees 398 MB.');
    expect(within(confirm).getByRole('button', { name: 'Keep it' })).toHaveFocus();
    await user.keyboard('{Enter}');
    expect(within(model).queryByRole('group')).toBeNull();
    expect(fake.calls.some((c) => c.channel === 'models:delete')).toBe(false);

    await user.click(within(model).getByRole('button', { name: `Delete ${NAME}…` }));
    await user.click(within(model).getByRole('button', { name: 'Delete' }));
    await within(model).findByText('Not downloaded');
    expect(fake.calls.at(-1)).toEqual({ channel: 'models:delete', request: { fileName: FILE } });
  });

  it('adds a model from its address (checking the address and checksum first) and imports a file', async () => {
    const fake = installFake();
    const { user } = await renderApp(fake);
    const dialog = await openModels(user);
    const form = within(dialog).getByRole('form', { name: 'Add a model from its address' });
    await user.type(within(form).getByRole('textbox', { name: 'Download address' }), 'https://example.org/model.bin');
    await user.click(within(form).getByRole('button', { name: 'Download' }));
    expect(within(form).getByRole('alert')).toHaveTextContent('Enter the address of a .gguf file');

    await user.clear(within(form).getByRole('textbox', { name: 'Download address' }));
    await user.type(within(form).getByRole('textbox', { name: 'Download address' }), 'https://example.org/My-Model-Q8_0.gguf');
    await user.type(within(form).getByRole('textbox', { name: /SHA-256/ }), 'abc');
    await user.click(within(form).getByRole('button', { name: 'Download' }));
    expect(within(form).getByRole('alert')).toHaveTextContent('64 hexadecimal characters');

    await user.clear(within(form).getByRole('textbox', { name: /SHA-256/ }));
    await user.type(within(form).getByRole('textbox', { name: /SHA-256/ }), 'AB'.repeat(32));
    await user.click(within(form).getByRole('button', { name: 'Download' }));
    await within(form).findByText(/The download has started/);
    expect(fake.calls.find((c) => c.channel === 'models:addFromUrl')?.request).toEqual({ url: 'https://example.org/My-Model-Q8_0.gguf', sha256: 'AB'.repeat(32) });
    expect(row(dialog, 'My-Model-Q8_0')).toHaveTextContent('Downloading');

    await user.click(within(dialog).getByRole('button', { name: 'Import a .gguf file…' }));
    expect(await within(dialog).findByRole('listitem', { name: 'imported-model' })).toHaveTextContent('Downloaded');
    expect(fake.calls.find((c) => c.channel === 'models:import')?.request).toEqual({});
  });

  it('shows why a download stopped in the backend’s words, and tries again', async () => {
    const fake = installFake();
    const { user } = await renderApp(fake);
    const dialog = await openModels(user);
    Object.assign(fake.state.library.models[0]!, { state: 'failed', error: 'The server does not have this model file (HTTP 404). Check the address.', resumable: false });
    fake.emit('events:models', { type: 'library', library: structuredClone(fake.state.library) });
    const model = row(dialog, NAME);
    await within(model).findByText('Download stopped');
    expect(model).toHaveTextContent('HTTP 404');
    await user.click(within(model).getByRole('button', { name: `Try again to download ${NAME}` }));
    await within(model).findByText('Downloading');
    expect(fake.calls.at(-1)).toEqual({ channel: 'models:resume', request: { fileName: FILE } });
    expect(progressText({ state: 'paused', sizeBytes: undefined }, { receivedBytes: 1_500_000, bytesPerSecond: 0 })).toBe('Stopped at 1.5 MB');
  });
});

describe('first run with the model library', () => {
  it('without a local model server, first offers to download a small model (size) and uses it once downloaded', async () => {
    const fake = installFake({ firstRun: true, nodeConfigured: false, detected: [] });
    const { user } = await renderApp(fake);
    const setup = await screen.findByRole('dialog', { name: /Connect a model/ });
    const offer = await within(setup).findByRole('button', { name: 'Download a small model (398 MB)' });
    const steps = within(setup).getAllByRole('listitem');
    expect(steps[0]).toContainElement(offer);
    expect(within(setup).getByRole('button', { name: 'Use the test provider' })).toBeVisible();

    await user.click(offer);
    const dialog = await screen.findByRole('dialog', { name: 'Models' });
    fake.downloadProgress(FILE, 200_000_000);
    await within(row(dialog, NAME)).findByRole('progressbar');
    fake.finishDownload(FILE);
    await waitFor(() => expect(fake.state.node).toMatchObject({ configured: true, state: 'serving', config: { provider: 'local' } }));
    await within(row(dialog, NAME)).findByText('Used by this computer’s node');
  });

  it('with a local model server found, offers it first and the download after it', async () => {
    const fake = installFake({ firstRun: true, nodeConfigured: false });
    await renderApp(fake);
    const setup = await screen.findByRole('dialog', { name: /Connect a model/ });
    await within(setup).findByRole('button', { name: /Use Ollama/ });
    const offer = await within(setup).findByRole('button', { name: 'Download a small model (398 MB)' });
    expect(within(setup).getAllByRole('listitem')[0]).not.toContainElement(offer);
  });
});
