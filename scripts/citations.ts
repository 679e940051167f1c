// Checks that keep docs/protocol.md and the rest of the tree consistent (run by citations.test.ts).
// (This file writes the section sign as \u00a7 so that its own text holds no citations.)
//
// 1. Section citations. A citation is the section sign (U+00A7) directly followed by a section
//    number: digits, optionally more dot-separated digit groups (2, 2.4, 2.4.3; a trailing
//    sentence dot is not part of the number). The number must be that of a heading of
//    docs/protocol.md. A section sign not directly followed by a digit is reported as malformed.
//    External citations are skipped: when the text just before the sign, on the same line, ends
//    with the name of an external specification (EXTERNAL_SPEC: "RFC 4648", "FIPS 197",
//    "SP 800-38D", "PKCS #1", "ISO/IEC 9797-1", "ECMA-262"), optionally followed by a comma and/or
//    spaces, the number belongs to that document, not to ours.
// 2. Headings of docs/protocol.md. Every heading below the document title starts with its
//    section number ("### 2.4.3 Title"), numbers are unique, every number's parent comes first
//    (2.4.3 needs 2.4), and every in-page link "(#anchor)" names a heading's anchor.
// 3. Paths outside the repository. No file names a location that exists only on some machine:
//    an absolute path under one of OUTSIDE_ROOTS (workspace roots, home directories, mounts,
//    per-user temporary directories), a Windows user directory, or a relative path whose leading
//    run of ".." segments climbs above the repository root when resolved from the file's own
//    directory. Glob patterns (containing "*") are patterns, not paths, and are not resolved.
//    System locations that exist on every machine (/usr/bin/env, /dev/null, /tmp) are not
//    outside paths. A test may hold a made-up outside path as data (an input that must be
//    refused or must not leak); citations.test.ts lists each such place with its reason.
//    Known limitation: a climb split across arguments (join(dir, '..', '..')) is not seen.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { posix } from 'node:path';

export interface Finding {
  file: string;
  line: number;
  message: string;
  /** The offending text (paths only). */
  match?: string;
}

export const formatFinding = (f: Finding): string => `${f.file}:${f.line}: ${f.message}`;

// ------------------------------------------------------------------------------------ citations

/** Names of external specifications whose section signs are not ours (see rule 1 above). */
const EXTERNAL_SPEC =
  /(?:\bRFC\s?\d+|\bFIPS(?:\sPUB)?\s?\d+(?:-\d+)?|\bSP\s?800-\d+[A-Z]?|\bPKCS\s?#\s?\d+|\bISO\/IEC\s?\d+(?:-\d+)?(?::\d+)?|\bECMA-\d+)[,\s]*$/;
const SECTION_SIGN = /\u00a7(\d+(?:\.\d+)*)?/g;

export interface Citation {
  line: number;
  /** The cited number, or null for a section sign that is not followed by one. */
  section: string | null;
}

/** Our citations in a text (external ones are left out). */
export function findCitations(text: string): Citation[] {
  const out: Citation[] = [];
  text.split('\n').forEach((lineText, i) => {
    for (const m of lineText.matchAll(SECTION_SIGN)) {
      if (EXTERNAL_SPEC.test(lineText.slice(0, m.index))) continue;
      out.push({ line: i + 1, section: m[1] ?? null });
    }
  });
  return out;
}

/** Citations of `text` that do not name a section in `sections`. */
export function unresolvedCitations(file: string, text: string, sections: ReadonlySet<string>): Finding[] {
  return findCitations(text)
    .filter((c) => c.section === null || !sections.has(c.section))
    .map((c) => ({
      file,
      line: c.line,
      message:
        c.section === null
          ? 'malformed citation: a section sign must be directly followed by a section number of docs/protocol.md'
          : `\u00a7${c.section} is not a section of docs/protocol.md`,
    }));
}

// ------------------------------------------------------------------------------------ headings

const HEADING = /^(#{1,6})\s+(.*?)\s*#*\s*$/;
const NUMBERED = /^(\d+(?:\.\d+)*)\s+\S/;
const FENCE = /^\s*(```|~~~)/;

export interface Heading {
  line: number;
  level: number;
  text: string;
  number: string | null;
  anchor: string;
}

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to "-", "-1", "-2" for repeats. */
export function headingAnchor(text: string, seen: Map<string, number>): string {
  const base = text
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
  const count = seen.get(base) ?? 0;
  seen.set(base, count + 1);
  return count === 0 ? base : `${base}-${count}`;
}

/** Headings outside fenced code blocks, with their section numbers and anchors. */
export function parseHeadings(markdown: string): Heading[] {
  const headings: Heading[] = [];
  const seen = new Map<string, number>();
  let fenced = false;
  markdown.split('\n').forEach((lineText, i) => {
    if (FENCE.test(lineText)) fenced = !fenced;
    if (fenced) return;
    const m = HEADING.exec(lineText);
    if (!m) return;
    const text = m[2]!;
    headings.push({
      line: i + 1,
      level: m[1]!.length,
      text,
      number: NUMBERED.exec(text)?.[1] ?? null,
      anchor: headingAnchor(text, seen),
    });
  });
  return headings;
}

/** Section numbers of docs/protocol.md and the problems of its headings and table of contents. */
export function protocolSections(file: string, markdown: string): { sections: Set<string>; findings: Finding[] } {
  const headings = parseHeadings(markdown);
  const sections = new Set<string>();
  const findings: Finding[] = [];
  const problem = (line: number, message: string) => findings.push({ file, line, message });
  headings.forEach((h, index) => {
    if (h.number === null) {
      if (!(index === 0 && h.level === 1)) problem(h.line, `heading "${h.text}" does not start with its section number`);
      return;
    }
    if (sections.has(h.number)) problem(h.line, `section number ${h.number} is used twice`);
    const parent = h.number.includes('.') ? h.number.slice(0, h.number.lastIndexOf('.')) : null;
    if (parent !== null && !sections.has(parent)) problem(h.line, `section ${h.number} comes before (or without) its parent ${parent}`);
    sections.add(h.number);
  });
  const anchors = new Set(headings.map((h) => h.anchor));
  markdown.split('\n').forEach((lineText, i) => {
    for (const m of lineText.matchAll(/\]\(#([^)\s]+)\)/g)) {
      if (!anchors.has(m[1]!)) problem(i + 1, `link #${m[1]} names no heading`);
    }
  });
  return { sections, findings };
}

// ------------------------------------------------------------------------------------ paths

/** Top-level directories whose contents differ per machine: workspaces, homes, mounts, macOS temp. */
const OUTSIDE_ROOTS = ['work', 'home', 'Users', 'root', 'mnt', 'media', 'var/folders'];
const ABSOLUTE_OUTSIDE = new RegExp(`(?<![\\w.-])/(?:${OUTSIDE_ROOTS.join('|')})(?=/|\\b)`, 'g');
const WINDOWS_USER_DIR = /\b[A-Za-z]:[\\/]+(?:Users|Documents and Settings)\b/gi;
/** A leading run of "../" (or a bare ".." run) and the rest of the path token. */
const RELATIVE_CLIMB = /(?<![\w.\\/-])((?:\.\.\/)*\.\.)(?=\/|['"`\s)\]},;:]|$)([^\s'"`)\]},;:]*)/g;

/** Places in `text` (a file at repository path `file`) that name a path outside the repository. */
export function outsidePaths(file: string, text: string): Finding[] {
  const dir = posix.dirname(file);
  const depth = dir === '.' ? 0 : dir.split('/').length;
  const out: Finding[] = [];
  text.split('\n').forEach((lineText, i) => {
    const found = (match: string, message: string) => out.push({ file, line: i + 1, message, match });
    for (const m of lineText.matchAll(ABSOLUTE_OUTSIDE)) {
      const path = lineText.slice(m.index).split(/[\s'"`)\]]/)[0]!;
      found(path, `names a path outside the repository (${path})`);
    }
    for (const m of lineText.matchAll(WINDOWS_USER_DIR)) found(m[0], `names a path outside the repository (${m[0]})`);
    for (const m of lineText.matchAll(RELATIVE_CLIMB)) {
      const climb = m[1]!.split('/').length;
      if (climb <= depth || m[0].includes('*')) continue;
      found(m[0], `relative path ${m[0]} climbs ${climb} levels from ${dir === '.' ? 'the repository root' : `${dir}/`}, out of the repository`);
    }
  });
  return out;
}

// ------------------------------------------------------------------------------------ the tree

export interface TreeFile {
  path: string;
  text: string;
}

/** Text files git tracks or would add (untracked, not ignored), relative to `root`. Binary files are skipped. */
export function repositoryTextFiles(root: string): TreeFile[] {
  const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const paths = [...new Set(listed.split('\0').filter(Boolean))].sort();
  const files: TreeFile[] = [];
  for (const path of paths) {
    const absolute = posix.join(root, path);
    if (!existsSync(absolute)) continue; // deleted in the work tree, not yet staged
    const bytes = readFileSync(absolute);
    if (bytes.subarray(0, 8192).includes(0)) continue;
    files.push({ path, text: bytes.toString('utf8') });
  }
  return files;
}
