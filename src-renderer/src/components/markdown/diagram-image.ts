// Mermaid source → an SVG picture. beautiful-mermaid parses and lays the diagram out in plain
// JavaScript (no DOM, no eval, no inline styles put into the page), and the SVG is shown as an
// <img> from a data: URL (img-src allows data:): an image document runs no script and loads
// nothing, which is the sandbox. The official mermaid package was measured against the app's CSP
// and put 65 inline styles into the page per diagram, so it is not used. Loaded on first use.
export type DiagramTheme = 'light' | 'dark';

export type DiagramImage = { ok: true; url: string; width: number; height: number } | { ok: false; reason: string };

const COLOURS: Record<DiagramTheme, { bg: string; fg: string }> = {
  light: { bg: '#ffffff', fg: '#1d1d1f' },
  dark: { bg: '#1f2024', fg: '#e8e8ea' },
};

const drawn = new Map<string, Promise<DiagramImage>>();
const DRAWN_LIMIT = 200;

export function drawDiagram(source: string, theme: DiagramTheme): Promise<DiagramImage> {
  const key = `${theme}\n${source}`;
  const hit = drawn.get(key);
  if (hit) return hit;
  const next = render(source, theme);
  drawn.set(key, next);
  if (drawn.size > DRAWN_LIMIT) drawn.delete(drawn.keys().next().value as string);
  return next;
}

async function render(source: string, theme: DiagramTheme): Promise<DiagramImage> {
  let drawer: typeof import('beautiful-mermaid');
  try {
    drawer = await import('beautiful-mermaid');
  } catch {
    return { ok: false, reason: 'the diagram drawer could not be loaded.' };
  }
  try {
    const svg = withoutImports(await drawer.renderMermaidSVGAsync(source, { ...COLOURS[theme], font: 'system-ui' }));
    const size = /<svg[^>]*\swidth="([\d.]+)"[^>]*\sheight="([\d.]+)"/.exec(svg);
    return {
      ok: true,
      url: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`,
      width: Math.ceil(Number(size?.[1] ?? 600)),
      height: Math.ceil(Number(size?.[2] ?? 400)),
    };
  } catch (error) {
    return { ok: false, reason: shortReason(error) };
  }
}

/** The renderer asks for web fonts with @import; an image could not load them anyway. */
function withoutImports(svg: string): string {
  return svg.replace(/@import\s+url\([^)]*\)\s*;?/g, '');
}

function shortReason(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const first = text.split('\n')[0]?.trim() ?? '';
  return first.length > 160 ? `${first.slice(0, 157)}…` : first;
}
