// Small text helpers for labels, the live region and the sidebar.
import { i18n } from '../i18n';

/** Markdown reduced to readable words (for screen-reader announcements, not for display). */
export function plainText(markdown: string): string {
  return markdown
    .replace(/```[\s\S]*?```/g, ' (code) ')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[#>*_~|-]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A fingerprint's hex digits, upper case, in groups of four. */
function hexGroups(hex: string): string[] {
  return hex.replace(/[^0-9a-f]/gi, '').toUpperCase().match(/.{1,4}/g) ?? [];
}

/** `a1b2c3d4…` -> `A1B2 C3D4 E5F6 0718` style short form people can compare by eye. */
export function shortFingerprint(hex: string): string {
  const groups = hexGroups(hex);
  return groups.length ? groups.slice(0, 4).join(' ') : hex;
}

/** The whole fingerprint in groups of four (for titles and the full comparison). */
export function groupedFingerprint(hex: string): string {
  const groups = hexGroups(hex);
  return groups.length ? groups.join(' ') : hex;
}

export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

export function relativeTime(ts: number, nowMs = Date.now()): string {
  const d = Math.max(0, nowMs - ts);
  const min = 60_000;
  if (d < min) return i18n.t('common:time.justNow');
  if (d < 60 * min) return i18n.t('common:time.minutesAgo', { count: Math.floor(d / min) });
  if (d < 24 * 60 * min) return i18n.t('common:time.hoursAgo', { count: Math.floor(d / (60 * min)) });
  const date = new Date(ts);
  const sameYear = date.getFullYear() === new Date(nowMs).getFullYear();
  return date.toLocaleDateString(i18n.language, sameYear ? { month: 'short', day: 'numeric' } : { year: 'numeric', month: 'short', day: 'numeric' });
}
