// Every section citation in the tree names a section of docs/protocol.md, the document's headings
// carry their numbers, and no file names a path outside the repository. The exact rules (what a
// citation is, which citations are external, what counts as an outside path) are stated at the
// top of citations.ts. Synthetic inputs below spell the section sign as \u00a7 and build paths
// from pieces, so that this file's own text holds no citation and no outside path.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  findCitations,
  formatFinding,
  headingAnchor,
  outsidePaths,
  parseHeadings,
  protocolSections,
  repositoryTextFiles,
  unresolvedCitations,
  type Finding,
} from './citations';

const ROOT = resolve(__dirname, '..');
const S = '\u00a7';

/**
 * Made-up outside paths that tests hold as data. Each entry must still match a finding; when the
 * data goes away, delete the entry.
 */
const SYNTHETIC_OUTSIDE_PATHS: readonly { file: string; startsWith: string; why: string }[] = [];

const isSynthetic = (f: Finding) => SYNTHETIC_OUTSIDE_PATHS.some((s) => s.file === f.file && f.match?.startsWith(s.startsWith));

describe('the repository', () => {
  const files = repositoryTextFiles(ROOT);
  const protocol = protocolSections('docs/protocol.md', readFileSync(resolve(ROOT, 'docs/protocol.md'), 'utf8'));

  it('scans the whole tree, tests and docs included', () => {
    const paths = new Set(files.map((f) => f.path));
    for (const p of ['docs/protocol.md', 'src-main/relay/state/retrieve.ts', 'src-main/client/relay-client.test.ts', 'scripts/citations.ts', 'README.md']) {
      expect(paths.has(p), p).toBe(true);
    }
    // The comments of the tree cite this document a few hundred times; a scan that finds far
    // fewer is broken, not clean.
    expect(files.reduce((n, f) => n + findCitations(f.text).length, 0)).toBeGreaterThan(250);
  });

  it('docs/protocol.md: every heading has a unique number under an existing parent, every in-page link resolves', () => {
    expect(protocol.findings.map(formatFinding)).toEqual([]);
    for (const n of ['1.8.2', '1.9.3', '2.4.3', '2.5', '2.6.4', '3.2', '5.4', '7', '8']) expect(protocol.sections.has(n), n).toBe(true);
  });

  it('every section citation names a section of docs/protocol.md', () => {
    const broken = files.flatMap((f) => unresolvedCitations(f.path, f.text, protocol.sections)).map(formatFinding);
    expect(broken).toEqual([]);
  });

  it('no file names a path outside the repository', () => {
    const findings = files.flatMap((f) => outsidePaths(f.path, f.text));
    expect(findings.filter((f) => !isSynthetic(f)).map(formatFinding)).toEqual([]);
    const stale = SYNTHETIC_OUTSIDE_PATHS.filter((s) => !findings.some((f) => f.file === s.file && f.match?.startsWith(s.startsWith)));
    expect(stale.map((s) => `${s.file}: no longer holds ${s.startsWith}; delete its SYNTHETIC_OUTSIDE_PATHS entry`)).toEqual([]);
  });
});

describe('the citation checker (synthetic input)', () => {
  const sections = new Set(['2', '2.4', '2.4.3']);

  it('reports a citation of a missing section with file and line', () => {
    const text = `ok ${S}2.4.3 here\nbroken ${S}2.4.9 and ${S}7\n`;
    expect(unresolvedCitations('src-main/x.ts', text, sections).map(formatFinding)).toEqual([
      `src-main/x.ts:2: ${S}2.4.9 is not a section of docs/protocol.md`,
      `src-main/x.ts:2: ${S}7 is not a section of docs/protocol.md`,
    ]);
  });

  it('reads ranges and sentence ends correctly', () => {
    expect(findCitations(`see ${S}2.4–${S}2.4.3. Then ${S}2.`).map((c) => c.section)).toEqual(['2.4', '2.4.3', '2']);
  });

  it('skips sections of named external specifications, and only those', () => {
    const text = [`RFC 4648 ${S}4`, `FIPS 197 ${S}5.1`, `SP 800-38D ${S}7`, `PKCS #1, ${S}7.2`, `ECMA-262 ${S}25`, `our ${S}4`, `RFC 4648 and ${S}4`].join('\n');
    expect(findCitations(text)).toEqual([
      { line: 6, section: '4' },
      { line: 7, section: '4' },
    ]);
  });

  it('reports a section sign without a number as malformed', () => {
    expect(unresolvedCitations('a.md', `see ${S} 2.4`, sections).map((f) => f.message)).toEqual([
      'malformed citation: a section sign must be directly followed by a section number of docs/protocol.md',
    ]);
  });
});

describe('the heading checker (synthetic input)', () => {
  const doc = [
    '# Title',
    '## 1 One',
    '### 1.1 `POST /api/v1/relay/requests` — submit',
    '```',
    '## 9 inside a code block is no heading',
    '```',
    '## Unnumbered',
    '#### 1.2.1 Orphan',
    '## 1 One',
    '[ok](#11-post-apiv1relayrequests--submit) [broken](#2-two)',
  ].join('\n');

  it('collects numbers and reports unnumbered, orphaned and repeated headings and dead links', () => {
    const { sections, findings } = protocolSections('docs/protocol.md', doc);
    expect([...sections]).toEqual(['1', '1.1', '1.2.1']);
    expect(findings.map(formatFinding)).toEqual([
      'docs/protocol.md:7: heading "Unnumbered" does not start with its section number',
      'docs/protocol.md:8: section 1.2.1 comes before (or without) its parent 1.2',
      'docs/protocol.md:9: section number 1 is used twice',
      'docs/protocol.md:10: link #2-two names no heading',
    ]);
  });

  it('makes GitHub anchors', () => {
    const seen = new Map<string, number>();
    expect(headingAnchor('2.4.3 `POST /api/v1/relay/responses/retrieve` — poll (client)', seen)).toBe('243-post-apiv1relayresponsesretrieve--poll-client');
    expect(headingAnchor('1 One', seen)).toBe('1-one');
    expect(headingAnchor('1 One', seen)).toBe('1-one-1');
    expect(parseHeadings(doc).map((h) => h.number)).toEqual([null, '1', '1.1', null, '1.2.1', '1']);
  });
});

describe('the path checker (synthetic input)', () => {
  const join = (...parts: string[]) => parts.join('/');

  it('reports machine paths, Windows user directories and climbs out of the repository', () => {
    const text = [
      `see ${join('', 'work', 'shared', 'protocol', 'v1.md')}`,
      `key ${join('', 'Users', 'ann', 'keys')}`,
      `url 'file://${join('', 'home', 'bob', 'x')}'`,
      `dir ${['C:', 'Users', 'ann'].join('\\')}`,
      `read('${join('..', '..', 'shared', 'x.md')}')`,
    ].join('\n');
    expect(outsidePaths('docs/a.md', text).map(formatFinding)).toEqual([
      `docs/a.md:1: names a path outside the repository (${join('', 'work', 'shared', 'protocol', 'v1.md')})`,
      `docs/a.md:2: names a path outside the repository (${join('', 'Users', 'ann', 'keys')})`,
      `docs/a.md:3: names a path outside the repository (${join('', 'home', 'bob', 'x')})`,
      `docs/a.md:4: names a path outside the repository (${['C:', 'Users'].join('\\')})`,
      `docs/a.md:5: relative path ${join('..', '..', 'shared', 'x.md')} climbs 2 levels from docs/, out of the repository`,
    ]);
  });

  it('accepts climbs that stay inside, globs, system paths and URLs', () => {
    const text = [
      `import x from '${join('..', '..', 'src-shared', 'protocol')}';`,
      `group: ['${join('..', '..', '..', 'src-main', '*')}']`,
      `${'#!'}${join('', 'usr', 'bin', 'env')} node`,
      `${join('', 'dev', 'null')} ${join('', 'tmp', 'x')}`,
      `https://example.com${join('', 'home', 'x')}`,
      `etc.. and 1..16 and ...rest`,
    ].join('\n');
    expect(outsidePaths('src-main/crypto/a.ts', text)).toEqual([]);
  });
});
