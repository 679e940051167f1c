// Conversations sidebar: new chat, search across all history, the list by last activity (rename,
// delete with undo), and the footer with the server switcher, settings and help.
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { ConversationSummary, SearchHit, ServerHealth } from '../../../../src-shared/ipc/contract';
import { relativeTime } from '../../lib/text';
import { useChat } from '../../stores/chat';
import { useConversations } from '../../stores/conversations';
import { activeServer, useServers } from '../../stores/servers';
import { useUi } from '../../stores/ui';
import { Icon } from '../ui/Icon';

export function Sidebar() {
  const summaries = useConversations((s) => s.summaries);
  const activeId = useConversations((s) => s.activeId);
  const query = useConversations((s) => s.query);
  const create = useConversations((s) => s.create);

  return (
    <aside className="sidebar" aria-label="Conversations and app menu">
      <div className="sidebar__top">
        <div className="brand">
          <span className="brand__mark" aria-hidden="true">
            <Icon name="lock" size={14} />
          </span>
          <span className="brand__name">token.place</span>
        </div>
        <button type="button" className="btn btn--primary btn--block" onClick={() => void create()} title="New chat (Ctrl+N)">
          <Icon name="plus" size={15} />
          <span>New chat</span>
        </button>
        <SearchBox />
      </div>
      {query.trim() ? (
        <SearchResults />
      ) : (
        <nav className="sidebar__list" aria-label="Conversations">
          {summaries.length === 0 ? (
            <p className="sidebar__empty">No conversations yet.</p>
          ) : (
            <ul>
              {summaries.map((c, i) => (
                <ConversationItem key={c.id} summary={c} active={c.id === activeId} position={i} />
              ))}
            </ul>
          )}
        </nav>
      )}
      <SidebarFooter />
    </aside>
  );
}

function SearchBox() {
  const search = useConversations((s) => s.search);
  const query = useConversations((s) => s.query);
  const focusSeq = useUi((s) => s.focusSearchSeq);
  const input = useRef<HTMLInputElement>(null);
  const [text, setText] = useState(query);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(() => {
    if (focusSeq > 0) {
      input.current?.focus();
      input.current?.select();
    }
  }, [focusSeq]);
  useEffect(() => () => clearTimeout(timer.current), []);

  const change = (value: string) => {
    setText(value);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => void search(value), 180);
  };
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Escape' && text) {
      e.preventDefault();
      e.stopPropagation();
      change('');
      void search('');
    } else if (e.key === 'ArrowDown') {
      e.preventDefault();
      document.querySelector<HTMLElement>('.sidebar__list button, .search-results button')?.focus();
    }
  };

  return (
    <div className="search" role="search">
      <Icon name="search" size={15} />
      <label htmlFor="search-input" className="visually-hidden">
        Search all conversations
      </label>
      <input id="search-input" ref={input} type="search" placeholder="Search (Ctrl+K)" value={text} onChange={(e) => change(e.target.value)} onKeyDown={onKey} autoComplete="off" />
    </div>
  );
}

function SearchResults() {
  const hits = useConversations((s) => s.hits);
  const searching = useConversations((s) => s.searching);
  const query = useConversations((s) => s.query);
  const open = useConversations((s) => s.open);
  const reveal = useUi((s) => s.revealMessage);
  const choose = async (hit: SearchHit) => {
    await open(hit.conversationId);
    if (hit.messageId) reveal(hit.conversationId, hit.messageId);
  };
  return (
    <nav className="sidebar__list search-results" aria-label="Search results">
      <p className="sidebar__caption" role="status">
        {searching ? 'Searching…' : hits.length === 0 ? `Nothing found for “${query.trim()}”.` : `${hits.length} result${hits.length === 1 ? '' : 's'}`}
      </p>
      <ul>
        {hits.map((h, i) => (
          <li key={`${h.conversationId}:${h.messageId ?? 'title'}:${i}`}>
            <button type="button" className="conv-item__main search-hit" onClick={() => void choose(h)} onKeyDown={listArrows}>
              <span className="conv-item__title">{h.conversationTitle}</span>
              <span className="search-hit__snippet">{h.messageId ? h.snippet : 'Match in the title'}</span>
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** Up/Down move between the list's main buttons. */
function listArrows(e: KeyboardEvent<HTMLElement>) {
  if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
  const all = [...document.querySelectorAll<HTMLElement>('.sidebar__list .conv-item__main')];
  const i = all.indexOf(e.currentTarget);
  const next = all[i + (e.key === 'ArrowDown' ? 1 : -1)];
  if (next) {
    e.preventDefault();
    next.focus();
  }
}

function ConversationItem({ summary, active, position }: { summary: ConversationSummary; active: boolean; position: number }) {
  const open = useConversations((s) => s.open);
  const rename = useConversations((s) => s.rename);
  const remove = useConversations((s) => s.remove);
  const busy = useChat((s) => Boolean(s.inFlight[summary.id]));
  const [editing, setEditing] = useState(false);
  const [title, setTitle] = useState(summary.title);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (editing) input.current?.select();
  }, [editing]);

  const finish = async (save: boolean) => {
    setEditing(false);
    if (save && title.trim() && title.trim() !== summary.title) await rename(summary.id, title);
    else setTitle(summary.title);
  };

  const hint = position < 9 ? ` (Ctrl+${position + 1})` : '';
  return (
    <li className={`conv-item${active ? ' conv-item--active' : ''}`}>
      {editing ? (
        <input
          ref={input}
          className="conv-item__rename"
          aria-label="New name for the conversation"
          value={title}
          maxLength={200}
          onChange={(e) => setTitle(e.target.value)}
          onBlur={() => void finish(true)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') void finish(true);
            if (e.key === 'Escape') {
              e.preventDefault();
              e.stopPropagation();
              void finish(false);
            }
          }}
        />
      ) : (
        <button
          type="button"
          className="conv-item__main"
          aria-current={active ? 'page' : undefined}
          onClick={() => void open(summary.id)}
          onKeyDown={(e) => {
            if (e.key === 'F2') setEditing(true);
            else if (e.key === 'Delete') void remove(summary.id);
            else listArrows(e);
          }}
          title={`${summary.title}${hint}`}
        >
          <span className="conv-item__title">{summary.title}</span>
          <span className="conv-item__sub">
            {busy ? <span className="conv-item__busy">answering…</span> : relativeTime(summary.updatedAt)}
            {' · '}
            {summary.messageCount} message{summary.messageCount === 1 ? '' : 's'}
          </span>
        </button>
      )}
      {!editing && (
        <div className="conv-item__actions">
          <button type="button" className="icon-btn" aria-label={`Rename ${summary.title}`} title="Rename (F2)" onClick={() => (setTitle(summary.title), setEditing(true))}>
            <Icon name="edit" size={14} />
          </button>
          <button type="button" className="icon-btn" aria-label={`Delete ${summary.title}`} title="Delete (Del)" onClick={() => void remove(summary.id)}>
            <Icon name="trash" size={14} />
          </button>
        </div>
      )}
    </li>
  );
}

/** The colour of a server's dot: reachable but with no node is a warning, not "online". */
export function healthTone(h: { state: string; nodeCount?: number } | undefined): string {
  if (!h) return 'unknown';
  return h.state === 'ok' && h.nodeCount === 0 ? 'degraded' : h.state;
}

function healthLabel(state: string): string {
  return state === 'ok' ? 'online' : state === 'degraded' ? 'degraded' : state === 'unreachable' ? 'unreachable' : 'not checked yet';
}

/** "online · 12 ms · 1 node": the state, then latency and node count when known. */
export function healthSummary(h: ServerHealth): string {
  return [healthLabel(h.state), h.latencyMs !== undefined ? `${Math.round(h.latencyMs)} ms` : '', h.nodeCount !== undefined ? `${h.nodeCount} node${h.nodeCount === 1 ? '' : 's'}` : '']
    .filter(Boolean)
    .join(' · ');
}

function SidebarFooter() {
  const list = useServers((s) => s.list);
  const openDialog = useUi((s) => s.openDialog);
  const server = activeServer(list);
  const h = server?.health;
  const details = h ? healthSummary(h) : 'not connected';
  return (
    <div className="sidebar__footer">
      <button
        type="button"
        className="server-switch"
        onClick={() => openDialog('servers')}
        aria-label={`Server: ${server?.name ?? 'none'}, ${details}. Open servers.`}
        title="Servers and this computer’s node (Ctrl+Shift+S)"
      >
        <span className={`dot dot--${healthTone(h)}`} aria-hidden="true" />
        <span className="server-switch__text">
          <span className="server-switch__name">{server?.name ?? 'No server'}</span>
          <span className="server-switch__details">{details}</span>
        </span>
        <Icon name="server" size={15} />
      </button>
      <div className="sidebar__footer-buttons">
        <button type="button" className="icon-btn" aria-label="Settings" title="Settings (Ctrl+,)" onClick={() => openDialog('settings')}>
          <Icon name="settings" size={17} />
        </button>
        <button type="button" className="icon-btn" aria-label="Keyboard shortcuts" title="Keyboard shortcuts (Ctrl+/)" onClick={() => openDialog('help')}>
          <Icon name="help" size={17} />
        </button>
      </div>
    </div>
  );
}
