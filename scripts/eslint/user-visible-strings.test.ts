// The check that a renderer component shows no hard-coded words (user-visible-strings.mjs):
// RuleTester cases for what eslint-plugin-i18next's no-literal-string with our options (text) and
// strings/user-visible-attributes (attributes) must catch and let pass, and the repository's
// eslint.config.mjs failing a synthetic component.
import { join, resolve } from 'node:path';
import { ESLint, RuleTester, type Rule } from 'eslint';
import i18next from 'eslint-plugin-i18next';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import strings, { isWords, userVisibleStringOptions } from './user-visible-strings.mjs';

const ROOT = resolve(__dirname, '..', '..');

RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const tester = new RuleTester({
  languageOptions: { parser: tseslint.parser, ecmaVersion: 'latest', sourceType: 'module', parserOptions: { ecmaFeatures: { jsx: true } } },
});
const textRule = (i18next.rules as Record<string, Rule.RuleModule>)['no-literal-string']!;
const options = [userVisibleStringOptions];
const ok = (name: string, code: string) => ({ name, code, options });
const bad = (name: string, code: string, errors = 1) => ({ name, code, options, errors: Array.from({ length: errors }, () => ({ message: /^a user-visible string must come from t\(\)/ })) });

tester.run('i18next/no-literal-string (text)', textRule, {
  valid: [
    ok('t() as text', "const view = () => <button>{t('save')}</button>;"),
    ok("another namespace's t", "const view = () => <p>{tCommon('ok')}</p>;"),
    ok('no letters', 'const view = () => <span>{a} · {b} — 42 … ×</span>;'),
    ok('a brand and a standard as they are written', 'const view = () => <><b>token.place</b><i>SHA-256</i></>;'),
    ok('attributes are the other rule\'s', 'const view = () => <p title="Hello there" className="x" />;'),
    ok('handlers and non-shown props', "const view = () => <div role=\"status\" onClick={() => go('Somewhere else')} />;"),
    ok('strings outside JSX (not this check)', "const KINDS = ['Plain words here']; const view = () => <p>{t(KINDS[0])}</p>;"),
    ok('Trans children', 'const view = () => <Trans i18nKey="hint">Press <kbd>Enter</kbd> to send</Trans>;'),
  ],
  invalid: [
    bad('JSX text', 'const view = () => <p>Drawing diagram…</p>;'),
    bad('one word', 'const view = () => <button>Cancel</button>;'),
    bad('a word ending in punctuation', 'const view = () => <span>Diagram:</span>;'),
    bad('all capitals', 'const view = () => <button>OK</button>;'),
    bad('text in another script', 'const view = () => <p>Schließen</p>;'),
    bad('text beside an expression', 'const view = () => <p>Could not draw this diagram: {reason}</p>;'),
    bad('text inside a link', 'const view = () => <a href="#composer">Skip to the message box</a>;'),
    bad('a literal in an expression child', "const view = () => <p>{open ? 'Close' : t('open')}</p>;"),
    bad('a template literal child with words', 'const view = () => <p>{`Step ${n} of the way`}</p>;'),
  ],
});

const attrRule = strings.rules['user-visible-attributes'];
const okAttr = (name: string, code: string) => ({ name, code });
const badAttr = (name: string, code: string, errors = 1) => ({ name, code, errors: Array.from({ length: errors }, () => ({ messageId: 'words' })) });

tester.run('strings/user-visible-attributes', attrRule, {
  valid: [
    okAttr('t() in a label', "const view = () => <button aria-label={t('close')} title={tDesktop('tray.hint')} />;"),
    okAttr('a URL, a model name as they are typed', "const view = () => <><input placeholder=\"https://token.place\" /><input placeholder={kind === 'x' ? 'llama3.2' : 'sk-ant-…'} /></>;"),
    okAttr('attributes nobody reads', 'const view = () => <div className="diagram note" role="status" data-kind="folder" type="button" />;'),
    okAttr('a component prop that is not shown', 'const view = () => <Icon name="chevron down" variant="ghost small" />;'),
    okAttr('a class name from a template', 'const view = () => <div className={`msg msg--${kind}`} />;'),
    okAttr('no letters in a title', "const view = () => <span title={`${a} · ${b}`} aria-label={n + ' ×'} />;"),
    okAttr('a value worked out elsewhere', 'const view = () => <img alt={describe(x)} title={label} />;'),
  ],
  invalid: [
    badAttr('aria-label', 'const view = () => <pre aria-label="Diagram source" />;'),
    badAttr('title, placeholder and alt', 'const view = () => <><p title="Open it" /><input placeholder="Type here" /><img alt="A picture" /></>;', 3),
    badAttr('a title on a link (an element SVG also has)', 'const view = () => <a href="#" title="Open it">{t(\'x\')}</a>;'),
    badAttr('label and aria-description on HTML elements', 'const view = () => <><option label="First choice" /><div aria-description="More words" /></>;', 2),
    badAttr("a component's label props", 'const view = () => <CopyButton label="Copy code" copiedLabel="Copied" />;', 2),
    badAttr('either arm of a condition', "const view = () => <button title={busy ? 'Please wait' : t('send')} aria-label={x ?? 'Send it'} />;", 2),
    badAttr('a template literal with words', 'const view = () => <img alt={`Diagram: ${kind}`} />;'),
  ],
});

describe('what counts as words', () => {
  it('letters count; URLs, names with digits or dots and lone symbols do not', () => {
    for (const text of ['Cancel', 'OK', 'Diagram:', 'OK.', 'Schließen', 'Two words', ' Trim me ']) expect(isWords(text), text).toBe(true);
    for (const text of ['', ' ', '·', '42', '…', '→ ←', 'https://token.place', 'llama3.2', 'claude-sonnet-4-5', 'sk-ant-…', 'SHA-256', 'token.place']) expect(isWords(text), text).toBe(false);
  });
});

describe('the repository lint config', () => {
  it('fails a renderer component with a hard-coded string, and not its test', async () => {
    const eslint = new ESLint({ cwd: ROOT });
    const code = "export function Probe() {\n  return <p title=\"Hello there\">Hello</p>;\n}\n";
    const [component] = await eslint.lintText(code, { filePath: join(ROOT, 'src-renderer/src/components/ui/Probe.tsx') });
    expect(component!.messages.map((m) => [m.ruleId, m.severity]).sort()).toEqual([
      ['i18next/no-literal-string', 2],
      ['strings/user-visible-attributes', 2],
    ]);
    const [test] = await eslint.lintText(code, { filePath: join(ROOT, 'src-renderer/src/components/ui/Probe.test.tsx') });
    expect(test!.messages).toEqual([]);
  });
});
