// --help text from a CLI's flag table, so the text lists exactly the flags the parser accepts.
import type { FlagTable } from './flags';

export interface HelpLayout<T extends FlagTable> {
  /** First line, e.g. `Usage: tokenplace-relay [options]`. */
  usage: string;
  /** Paragraph(s) after the usage line. */
  about?: string;
  /** Flag groups in order; every flag of the table must appear in exactly one. */
  sections: readonly { title: string; flags: readonly (keyof T & string)[] }[];
  /** Help line of `-h, --help` (last line of the last section). */
  helpLine?: string;
  /** Text after the flags (exit codes, notes). */
  footer?: string;
  /** Column where help text starts (default: after the longest flag, at least 2 spaces). */
  column?: number;
}

export function formatHelp<T extends FlagTable>(table: T, layout: HelpLayout<T>): string {
  const listed = layout.sections.flatMap((s) => s.flags);
  const missing = Object.keys(table).filter((f) => !listed.includes(f));
  const twice = listed.filter((f, i) => listed.indexOf(f) !== i);
  if (missing.length || twice.length) throw new Error(`help layout: not listed ${missing.join(', ') || '-'}; listed twice ${twice.join(', ') || '-'}`);

  const label = (flag: string) => {
    const spec = table[flag]!;
    return spec.type === 'string' ? `  --${flag} ${spec.value ?? 'VALUE'}` : `  --${flag}`;
  };
  const helpLabel = '  -h, --help';
  const column = layout.column ?? Math.max(helpLabel.length, ...listed.map((f) => label(f).length)) + 2;
  const entry = (flagLabel: string, help: string | readonly string[]) => {
    const [first = '', ...rest] = typeof help === 'string' ? [help] : help;
    const head = flagLabel.length + 1 > column ? [flagLabel, `${''.padEnd(column)}${first}`] : [`${flagLabel.padEnd(column)}${first}`];
    return [...head, ...rest.map((line) => `${''.padEnd(column)}${line}`)];
  };

  const lines = [layout.usage];
  if (layout.about) lines.push('', layout.about);
  layout.sections.forEach((section, i) => {
    lines.push('', section.title);
    for (const flag of section.flags) lines.push(...entry(label(flag), table[flag]!.help));
    if (i === layout.sections.length - 1) lines.push(...entry(helpLabel, layout.helpLine ?? 'show this help'));
  });
  if (layout.footer) lines.push('', layout.footer);
  return lines.join('\n');
}
