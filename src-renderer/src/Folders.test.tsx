import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { setApi } from './api/api';
import { installFake, renderApp } from '../../test-support/renderer/harness';

afterEach(() => setApi(undefined));

const list = () => screen.getByRole('navigation', { name: 'Conversations' });
const chatButton = (title: string) => within(list()).getByRole('button', { name: new RegExp(`^${title}`) });
const folderItem = (name: string) => within(list()).getByRole('button', { name: new RegExp(`^${name}`) }).closest('li.folder') as HTMLElement;
const titles = () => [...list().querySelectorAll('li.conv-item .conv-item__title')].map((el) => el.textContent);

/** What a browser's DataTransfer does for one drag: typed data, and the types it carries (own fields, as the event copies them). */
class DragData {
  readonly data = new Map<string, string>();
  readonly types: string[] = [];
  effectAllowed = 'all';
  dropEffect = 'none';
  setData = (type: string, value: string) => {
    if (!this.data.has(type)) this.types.push(type);
    this.data.set(type, value);
  };
  getData = (type: string) => this.data.get(type) ?? '';
}

async function setup() {
  const fake = installFake();
  fake.seed('Banana', [{ role: 'user', content: 'b' }], 1_700_000_300_000);
  fake.seed('apple', [{ role: 'user', content: 'a' }], 1_700_000_200_000);
  fake.seed('Cherry', [{ role: 'user', content: 'c' }], 1_700_000_100_000);
  const rendered = await renderApp(fake);
  await screen.findByRole('heading', { name: 'Banana' });
  return rendered;
}

async function createFolder(user: Awaited<ReturnType<typeof setup>>['user'], name: string) {
  await user.click(screen.getByRole('button', { name: 'New folder' }));
  await user.type(screen.getByRole('textbox', { name: 'Name of the new folder' }), `${name}{Enter}`);
  await within(list()).findByRole('button', { name: new RegExp(`^${name}`) });
}

describe('sidebar folders', () => {
  it('creates a folder, moves a chat in with "Move to folder…", collapses it, and deleting it keeps the chat (and says so)', async () => {
    const { user, fake } = await setup();
    await createFolder(user, 'Fruit');
    expect(screen.getByTestId('live-region')).toHaveTextContent('Folder Fruit created.');
    expect(within(folderItem('Fruit')).getByText(/Empty\. Drag chats here/)).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Move apple to a folder' }));
    const dialog = screen.getByRole('dialog', { name: 'Move “apple” to a folder' });
    expect(within(dialog).getByRole('button', { name: /Top level/ })).toHaveAttribute('aria-current', 'true');
    await user.click(within(dialog).getByRole('button', { name: 'Fruit' }));
    await waitFor(() => expect(within(folderItem('Fruit')).getByRole('button', { name: /^apple/ })).toBeInTheDocument());
    const apple = [...fake.state.conversations.values()].find((c) => c.title === 'apple')!;
    expect(fake.state.organisation.workspace.placements).toEqual({ [apple.id]: fake.state.organisation.workspace.folders[0]!.id });
    expect(screen.getByTestId('live-region')).toHaveTextContent('Moved to the folder Fruit.');
    expect(within(list()).getByRole('heading', { name: 'Chats' })).toBeInTheDocument();

    const toggle = within(folderItem('Fruit')).getByRole('button', { name: /^Fruit/ });
    expect(toggle).toHaveAccessibleName('Fruit 1 chat');
    expect(toggle).toHaveAttribute('aria-expanded', 'true');
    await user.click(toggle);
    await waitFor(() => expect(toggle).toHaveAttribute('aria-expanded', 'false'));
    expect(within(list()).queryByRole('button', { name: /^apple/ })).toBeNull();
    expect(fake.state.organisation.workspace.folders[0]?.collapsed).toBe(true);

    await user.click(screen.getByRole('button', { name: 'Delete the folder Fruit (its chats move to the top level)' }));
    await waitFor(() => expect(screen.getByTestId('live-region')).toHaveTextContent('Deleted the folder “Fruit”. Its 1 chat moved to the top level.'));
    expect(chatButton('apple')).toBeInTheDocument();
    expect(fake.state.organisation.workspace.folders).toEqual([]);
  });

  it('takes a dragged chat into a folder and back out to the top level, and renames the folder with F2', async () => {
    const { user, fake } = await setup();
    await createFolder(user, 'Work');
    const drag = new DragData();
    fireEvent.dragStart(chatButton('Cherry').closest('li')!, { dataTransfer: drag });
    expect(drag.types).toEqual(['application/x-tokenplace-conversation']);
    fireEvent.dragOver(folderItem('Work'), { dataTransfer: drag });
    expect(folderItem('Work')).toHaveClass('folder--drop');
    fireEvent.drop(folderItem('Work'), { dataTransfer: drag });
    await waitFor(() => expect(within(folderItem('Work')).getByRole('button', { name: /^Cherry/ })).toBeInTheDocument());
    expect(Object.values(fake.state.organisation.workspace.placements)).toEqual([fake.state.organisation.workspace.folders[0]!.id]);

    // Something else dragged in (a file, text) is not taken.
    const file = new DragData();
    file.setData('text/plain', 'hello');
    fireEvent.drop(folderItem('Work'), { dataTransfer: file });

    const back = new DragData();
    fireEvent.dragStart(within(folderItem('Work')).getByRole('button', { name: /^Cherry/ }).closest('li')!, { dataTransfer: back });
    fireEvent.drop(list().querySelector('.sidebar__group--top')!, { dataTransfer: back });
    await waitFor(() => expect(fake.state.organisation.workspace.placements).toEqual({}));
    expect(screen.getByTestId('live-region')).toHaveTextContent('Moved to the top level.');

    const toggle = within(folderItem('Work')).getByRole('button', { name: /^Work/ });
    act(() => toggle.focus());
    await user.keyboard('{F2}');
    const field = screen.getByRole('textbox', { name: 'New name for the folder' });
    await user.clear(field);
    await user.type(field, 'Office{Enter}');
    await waitFor(() => expect(fake.state.organisation.workspace.folders[0]?.name).toBe('Office'));
  });

  it('pins a chat dropped onto Pinned, which shows itself as a target while a chat is dragged', async () => {
    const { fake } = await setup();
    const idOf = (title: string) => [...fake.state.conversations.values()].find((c) => c.title === title)!.id;
    expect(within(list()).queryByRole('heading', { name: 'Pinned' })).toBeNull();

    // A drag that ends without a drop leaves nothing behind.
    fireEvent.dragStart(chatButton('apple').closest('li')!, { dataTransfer: new DragData() });
    expect(within(list()).getByRole('heading', { name: 'Pinned' })).toBeInTheDocument();
    fireEvent.dragEnd(chatButton('apple').closest('li')!);
    expect(within(list()).queryByRole('heading', { name: 'Pinned' })).toBeNull();

    const drag = new DragData();
    fireEvent.dragStart(chatButton('Cherry').closest('li')!, { dataTransfer: drag });
    const pinnedSection = () => within(list()).getByRole('heading', { name: 'Pinned' }).closest('section')!;
    expect(pinnedSection()).toHaveTextContent('Drop a chat here to pin it to the top.');
    fireEvent.dragOver(pinnedSection(), { dataTransfer: drag });
    expect(pinnedSection()).toHaveClass('sidebar__group--drop');
    fireEvent.drop(pinnedSection(), { dataTransfer: drag });
    await waitFor(() => expect(titles()).toEqual(['Cherry', 'Banana', 'apple']));
    expect(fake.state.organisation.workspace.pinned).toEqual([idOf('Cherry')]);
    expect(screen.getByTestId('live-region')).toHaveTextContent('Pinned to the top.');
    expect(pinnedSection()).not.toHaveClass('sidebar__group--drop');

    // Onto a Pinned section that already has chats; something else dragged in is not taken.
    const file = new DragData();
    file.setData('text/plain', 'hello');
    fireEvent.drop(pinnedSection(), { dataTransfer: file });
    const second = new DragData();
    fireEvent.dragStart(chatButton('apple').closest('li')!, { dataTransfer: second });
    fireEvent.drop(pinnedSection(), { dataTransfer: second });
    await waitFor(() => expect([...fake.state.organisation.workspace.pinned].sort()).toEqual([idOf('Cherry'), idOf('apple')].sort()));
    expect(within(pinnedSection()).getByRole('button', { name: /^apple/ })).toBeInTheDocument();
  });

  it('pins a chat above everything and sorts by name or by activity, remembered by main', async () => {
    const { user, fake } = await setup();
    expect(titles()).toEqual(['Banana', 'apple', 'Cherry']);
    await user.click(screen.getByRole('button', { name: 'Pin Cherry to the top' }));
    await waitFor(() => expect(titles()).toEqual(['Cherry', 'Banana', 'apple']));
    expect(within(list()).getByRole('heading', { name: 'Pinned' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Unpin Cherry' })).toHaveAttribute('aria-pressed', 'true');

    await user.selectOptions(screen.getByRole('combobox', { name: 'Order of chats' }), 'name');
    await waitFor(() => expect(titles()).toEqual(['Cherry', 'apple', 'Banana']));
    expect(fake.state.organisation.workspace.sort).toBe('name');

    await user.click(screen.getByRole('button', { name: 'Unpin Cherry' }));
    await waitFor(() => expect(titles()).toEqual(['apple', 'Banana', 'Cherry']));
    expect(within(list()).queryByRole('heading', { name: 'Pinned' })).toBeNull();
  });

  it('a deleted chat loses its pin and folder, also when it is restored with Undo (as in main)', async () => {
    const { user, fake } = await setup();
    await createFolder(user, 'Keep');
    await user.click(screen.getByRole('button', { name: 'Pin Cherry to the top' }));
    await waitFor(() => expect(within(list()).getByRole('heading', { name: 'Pinned' })).toBeInTheDocument());
    await user.click(screen.getByRole('button', { name: 'Delete Cherry' }));
    await waitFor(() => expect(within(list()).queryByRole('heading', { name: 'Pinned' })).toBeNull());
    expect(fake.state.organisation.workspace.pinned).toEqual([]);
    await user.click(screen.getByRole('button', { name: 'Undo' }));
    await waitFor(() => expect(chatButton('Cherry')).toBeInTheDocument());
    expect(within(list()).queryByRole('heading', { name: 'Pinned' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Pin Cherry to the top' })).toHaveAttribute('aria-pressed', 'false');
  });

  it('says what went wrong when main refuses a change', async () => {
    const { user, fake } = await setup();
    await createFolder(user, 'Gone soon');
    fake.state.organisation.workspace = { ...fake.state.organisation.workspace, folders: [] };
    await user.click(screen.getByRole('button', { name: 'Move apple to a folder' }));
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Gone soon' }));
    expect(await screen.findByText('Could not move the chat: That folder does not exist any more. Choose another folder.')).toBeInTheDocument();
  });
});
