// One chat as a self-contained web page (Organise, per-chat export): the path the window shows,
// every text escaped, the style inline, no scripts and nothing loaded from anywhere — its own
// Content-Security-Policy says so, so a browser refuses a script even if one slipped in.
import type { Conversation } from '../../src-shared/ipc/contract';
import { splitReasoning } from '../../src-shared/read/reasoning';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text made safe to place in HTML content or a quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

const STYLE = `
:root { color-scheme: light dark; --bg: #ffffff; --fg: #1f2328; --muted: #59636e; --user: #eef3fb; --line: #d1d9e0; }
@media (prefers-color-scheme: dark) { :root { --bg: #0d1117; --fg: #e6edf3; --muted: #9198a1; --user: #1b2a3e; --line: #3d444d; } }
body { margin: 0; background: var(--bg); color: var(--fg); font: 15px/1.55 system-ui, -apple-system, "Segoe UI", sans-serif; }
main { max-width: 760px; margin: 0 auto; padding: 32px 20px 64px; }
h1 { font-size: 1.5rem; margin: 0 0 4px; }
.about { color: var(--muted); margin: 0 0 24px; font-size: 0.9rem; }
.system { border-left: 3px solid var(--line); padding: 4px 12px; color: var(--muted); margin: 0 0 24px; }
article { margin: 0 0 20px; }
article h2 { font-size: 0.8rem; text-transform: uppercase; letter-spacing: 0.04em; color: var(--muted); margin: 0 0 4px; }
.text { white-space: pre-wrap; overflow-wrap: anywhere; }
.user .text { background: var(--user); border-radius: 10px; padding: 10px 14px; }
.note { color: var(--muted); font-style: italic; }
.reasoning { color: var(--muted); border-left: 3px solid var(--line); padding: 2px 12px; margin: 0 0 8px; }
.reasoning summary { cursor: pointer; }
`;

const ROLE_HEADING = { user: 'You', assistant: 'Assistant' } as const;

/**
 * A message's text; an answer's reasoning (§2.3.6) is a closed disclosure above it, as the window
 * shows it — with no script, a native <details> is the only way to fold it.
 */
function body(role: 'user' | 'assistant', content: string): string[] {
  const split = role === 'assistant' ? splitReasoning(content) : null;
  if (!split || split.reasoning === null) return content ? [`<div class="text">${escapeHtml(content)}</div>`] : [];
  return [
    split.reasoning ? `<details class="reasoning"><summary>Reasoning</summary><div class="text">${escapeHtml(split.reasoning)}</div></details>` : '',
    split.answer ? `<div class="text">${escapeHtml(split.answer)}</div>` : '',
  ];
}

/** The page; `exportedAt` is shown in UTC so the file says the same everywhere. */
export function chatPage(c: Conversation, exportedAt: number): string {
  const about = [`Exported from token.place on ${new Date(exportedAt).toISOString().slice(0, 10)}`, c.model && `model ${c.model}`]
    .filter(Boolean)
    .join(' · ');
  const messages = c.messages.map((m) => {
    const note =
      m.status === 'error' ? (m.error?.message ?? 'The answer could not be delivered.') : m.status === 'stopped' ? 'Stopped before the answer was finished.' : '';
    return [
      `<article class="${m.role}">`,
      `<h2>${ROLE_HEADING[m.role]}</h2>`,
      ...body(m.role, m.content),
      note ? `<p class="note">${escapeHtml(note)}</p>` : '',
      '</article>',
    ]
      .filter(Boolean)
      .join('\n');
  });
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(c.title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    '<main>',
    `<h1>${escapeHtml(c.title)}</h1>`,
    `<p class="about">${escapeHtml(about)}</p>`,
    c.systemPrompt ? `<div class="system text">${escapeHtml(c.systemPrompt)}</div>` : '',
    ...messages,
    '</main>',
    '</body>',
    '</html>',
    '',
  ]
    .filter((line) => line !== '')
    .join('\n')
    .concat('\n');
}
