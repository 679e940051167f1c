// Steer (issue 14) in the window: a chat's model parameters over its server's defaults with the
// values in effect, presets (built-in read-only, duplicate, edit, delete, apply, default), a
// server's defaults in the Servers dialog, and Continue on an answer cut at its length limit.
import { act, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { setApi } from './api/api';
import { installFake, renderApp } from '../../test-support/renderer/harness';

afterEach(() => setApi(undefined));

const composer = () => screen.getByRole('textbox', { name: 'Message' });
const frame = () => act(() => new Promise<void>((resolve) => setTimeout(resolve, 40)));
const callsTo = (fake: ReturnType<typeof installFake>, channel: string) => fake.calls.filter((c) => c.channel === channel).map((c) => c.request);
/** The "In effect" row of one parameter: its value and where it comes from. */
const inEffect = (dialog: HTMLElement, term: string) => {
  const effect = within(dialog).getByRole('region', { name: 'In effect for this chat' });
  const dt = within(effect).getByText(term, { selector: 'dt' });
  return dt.nextElementSibling as HTMLElement;
};

describe('model parameters of a chat', () => {
  it('sets values over the server defaults, shows what is in effect, refuses out-of-range ones and resets', async () => {
    const fake = installFake();
    fake.state.steer.serverDefaults.set('embedded', { topP: 0.9, maxTokens: 500 });
    fake.seed('Tuned', []);
    const { user } = await renderApp(fake);
    await screen.findByRole('heading', { name: 'Tuned' });
    await user.click(screen.getByRole('button', { name: 'Model parameters and presets' }));
    const dialog = await screen.findByRole('dialog', { name: 'Model parameters' });
    await waitFor(() => expect(inEffect(dialog, 'Top P')).toHaveTextContent('0.9 server default'));
    expect(within(dialog).getByRole('spinbutton', { name: 'Max tokens' })).toHaveAttribute('placeholder', 'Server: 500');
    expect(inEffect(dialog, 'Seed')).toHaveTextContent('node default not sent');

    await user.type(within(dialog).getByRole('spinbutton', { name: 'Temperature' }), '0.7');
    await user.type(within(dialog).getByRole('spinbutton', { name: 'Max tokens' }), '9000');
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(within(dialog).getByRole('alert')).toHaveTextContent('Max tokens must be a whole number from 1 to 8192.');
    expect(callsTo(fake, 'chat:params')).toEqual([]);

    await user.clear(within(dialog).getByRole('spinbutton', { name: 'Max tokens' }));
    await user.type(within(dialog).getByRole('spinbutton', { name: 'Max tokens' }), '256');
    await user.type(within(dialog).getByRole('textbox', { name: 'Stop sequences' }), 'END{Enter}STOP');
    expect(inEffect(dialog, 'Max tokens')).toHaveTextContent('256 this chat');
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(callsTo(fake, 'chat:params').at(-1)).toMatchObject({ params: { temperature: 0.7, maxTokens: 256, stop: ['END', 'STOP'] } });

    const button = screen.getByRole('button', { name: 'Model parameters and presets (this chat sets its own)' });
    expect(button).toHaveAttribute('title', 'In effect: Temperature 0.7 · Top P 0.9 · Max tokens 256 · Stop sequences "END", "STOP"');
    await user.click(button);
    const again = await screen.findByRole('dialog', { name: 'Model parameters' });
    expect(inEffect(again, 'Temperature')).toHaveTextContent('0.7 this chat');
    await user.click(within(again).getByRole('button', { name: 'Reset to server defaults' }));
    await waitFor(() => expect(inEffect(again, 'Temperature')).toHaveTextContent('node default not sent'));
    expect(callsTo(fake, 'chat:params').at(-1)).toMatchObject({ params: null });
    expect(within(again).getByRole('spinbutton', { name: 'Temperature' })).toHaveValue(null);
  });
});

describe('presets', () => {
  it('keeps built-in presets read-only, duplicates, edits, applies, makes one the default and deletes it', async () => {
    const fake = installFake();
    fake.seed('With a preset', []);
    const { user } = await renderApp(fake);
    await screen.findByRole('heading', { name: 'With a preset' });
    await user.click(screen.getByRole('button', { name: 'Model parameters and presets' }));
    await user.click(within(await screen.findByRole('dialog', { name: 'Model parameters' })).getByRole('button', { name: 'Manage presets…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Presets' });
    const precise = await within(dialog).findByRole('listitem', { name: 'Precise' });
    expect(within(precise).getByText('Built-in')).toBeInTheDocument();
    expect(within(precise).queryByRole('button', { name: 'Edit Precise' })).toBeNull();
    expect(within(precise).queryByRole('button', { name: 'Delete Precise' })).toBeNull();

    await user.click(within(precise).getByRole('button', { name: 'Duplicate Precise' }));
    const copy = await within(dialog).findByRole('listitem', { name: 'Precise (copy)' });
    await user.click(within(copy).getByRole('button', { name: 'Edit Precise (copy)' }));
    const form = within(dialog).getByRole('form', { name: 'Edit Precise (copy)' });
    await user.clear(within(form).getByRole('textbox', { name: 'Name' }));
    await user.type(within(form).getByRole('textbox', { name: 'Name' }), 'Terse');
    await user.clear(within(form).getByRole('spinbutton', { name: 'Temperature' }));
    await user.type(within(form).getByRole('spinbutton', { name: 'Temperature' }), '0.1');
    await user.click(within(form).getByRole('button', { name: 'Save' }));
    const terse = await within(dialog).findByRole('listitem', { name: 'Terse' });
    expect(terse).toHaveTextContent('Temperature 0.1 · Top P 0.9');

    await user.selectOptions(within(dialog).getByRole('combobox', { name: 'Preset for new chats' }), 'Terse');
    await waitFor(() => expect(within(terse).getByText('Default')).toBeInTheDocument());
    expect(callsTo(fake, 'presets:setDefault').at(-1)).toEqual({ id: fake.state.steer.presets[0]!.id });

    await user.click(within(terse).getByRole('button', { name: 'Use Terse in this chat' }));
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Presets' })).toBeNull());
    expect(screen.getByRole('button', { name: 'Model parameters and presets (this chat sets its own)' })).toHaveTextContent('Terse');
    const chat = [...fake.state.conversations.values()].find((c) => c.title === 'With a preset')!;
    expect(chat).toMatchObject({ systemPrompt: 'Answer accurately and concisely. Say so when you are not sure.', params: { temperature: 0.1, topP: 0.9 } });

    await user.click(screen.getByRole('button', { name: 'Model parameters and presets (this chat sets its own)' }));
    await user.click(within(await screen.findByRole('dialog', { name: 'Model parameters' })).getByRole('button', { name: 'Manage presets…' }));
    const later = await screen.findByRole('dialog', { name: 'Presets' });
    await user.click(within(await within(later).findByRole('listitem', { name: 'Terse' })).getByRole('button', { name: 'Delete Terse' }));
    await waitFor(() => expect(within(later).queryByRole('listitem', { name: 'Terse' })).toBeNull());
    expect(within(later).getByRole('combobox', { name: 'Preset for new chats' })).toHaveValue('');
  });

  it('starts a new chat with a preset', async () => {
    const fake = installFake();
    fake.seed('First', []);
    const { user } = await renderApp(fake);
    await screen.findByRole('heading', { name: 'First' });
    await user.click(screen.getByRole('button', { name: 'Model parameters and presets' }));
    await user.click(within(await screen.findByRole('dialog', { name: 'Model parameters' })).getByRole('button', { name: 'Manage presets…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Presets' });
    await user.click(within(await within(dialog).findByRole('listitem', { name: 'Code helper' })).getByRole('button', { name: 'New chat with Code helper' }));
    await screen.findByRole('heading', { name: 'New chat' });
    expect(callsTo(fake, 'presets:apply').at(-1)).toEqual({ presetId: 'builtin-coder' });
    expect(screen.getByRole('button', { name: 'Model parameters and presets (this chat sets its own)' })).toHaveTextContent('Code helper');
  });

  it('gives every new chat the default preset', async () => {
    const fake = installFake();
    fake.state.steer.defaultPresetId = 'builtin-creative';
    const { user } = await renderApp(fake);
    await user.click(screen.getByRole('button', { name: 'New chat' }));
    await screen.findByRole('heading', { name: 'New chat' });
    const button = await screen.findByRole('button', { name: 'Model parameters and presets (this chat sets its own)' });
    await waitFor(() => expect(button).toHaveTextContent('Creative writer'));
    await user.click(button);
    const dialog = await screen.findByRole('dialog', { name: 'Model parameters' });
    expect(within(dialog).getByRole('spinbutton', { name: 'Temperature' })).toHaveValue(1.1);
    expect(inEffect(dialog, 'Top P')).toHaveTextContent('0.95 this chat');
  });
});

describe("a server's model defaults", () => {
  it('are set in the Servers dialog', async () => {
    const fake = installFake();
    const { user } = await renderApp(fake);
    await user.click(screen.getByRole('button', { name: /^Server: This computer/ }));
    const dialog = await screen.findByRole('dialog', { name: /Servers/ });
    await user.click(within(dialog).getByRole('button', { name: 'Model defaults for This computer' }));
    const form = within(dialog).getByRole('form', { name: 'Model defaults for This computer' });
    await user.type(within(form).getByRole('spinbutton', { name: 'Seed' }), '42');
    await user.click(within(form).getByRole('button', { name: 'Save defaults' }));
    await waitFor(() => expect(within(dialog).queryByRole('form', { name: 'Model defaults for This computer' })).toBeNull());
    expect(callsTo(fake, 'servers:setParamDefaults')).toEqual([{ serverId: 'embedded', params: { seed: 42 } }]);
    expect(within(dialog).getByText('Seed 42')).toBeInTheDocument();
  });
});

describe('Continue', () => {
  it('is offered after an answer cut at its length limit and appends the rest to the same answer', async () => {
    const fake = installFake({ answers: 'manual' });
    fake.seed('Long story', []);
    const { user } = await renderApp(fake);
    await screen.findByRole('heading', { name: 'Long story' });
    await user.type(composer(), 'Tell me a story{Enter}');
    const id = [...fake.state.inFlight.keys()][0]!;
    act(() => fake.answer(id, 'Once upon a', { finishReason: 'length' }));
    await screen.findByText('stopped at the output limit');

    await user.click(screen.getByRole('button', { name: 'Continue' }));
    expect(callsTo(fake, 'chat:continue')).toEqual([{ conversationId: id }]);
    // The earlier text stays shown while the rest arrives.
    await waitFor(() => expect(screen.getByRole('article', { name: 'Answer on its way' })).toHaveTextContent('Once upon a'));
    act(() => fake.delta(id, 'Once upon a time', true));
    await frame();
    expect(screen.getByRole('article', { name: 'Answer on its way' })).toHaveTextContent('Once upon a time');
    act(() => fake.answer(id, 'Once upon a time, the end.', { finishReason: 'stop' }));
    await waitFor(() => expect(screen.getByRole('article', { name: 'Answer' })).toHaveTextContent('Once upon a time, the end.'));
    expect(screen.getAllByRole('article', { name: 'Answer' })).toHaveLength(1);
    expect(screen.queryByRole('button', { name: 'Continue' })).toBeNull();
    expect(screen.queryByRole('group', { name: 'Versions' })).toBeNull();
  });

  it('is not offered for an answer that finished', async () => {
    const fake = installFake({ answers: 'manual' });
    fake.seed('Done', []);
    const { user } = await renderApp(fake);
    await screen.findByRole('heading', { name: 'Done' });
    await user.type(composer(), 'Hi{Enter}');
    const id = [...fake.state.inFlight.keys()][0]!;
    act(() => fake.answer(id, 'Hello.', { finishReason: 'stop' }));
    await screen.findByText('Hello.');
    expect(screen.queryByRole('button', { name: 'Continue' })).toBeNull();
  });
});
