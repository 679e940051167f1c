// Every user-visible renderer string goes through i18next (README, "Every user-visible renderer
// string"). Two rules hold it for renderer components (eslint.config.mjs):
// - eslint-plugin-i18next's `no-literal-string` (options below) judges JSX text and string
//   literals in JSX children (`{open ? 'Close' : t('open')}`);
// - `strings/user-visible-attributes` (here) judges string literals in the attributes a person
//   reads or a screen reader speaks, on every element and component, wherever the literal sits in
//   the value (`title={busy ? 'Please wait' : t('send')}`, template literals). The plugin's own
//   attribute check is off: it skips every attribute of elements that SVG also has (`<a title>`)
//   and all but five attributes of HTML elements.
// Not words, so they pass: strings without a letter (`·`, `—`, `42`, `…`), and one token with no
// space that has a digit, or one of `. - _ / :` between two characters, in it — URLs, model names
// and other examples a field shows as they are typed (`https://token.place`, `llama3.2`,
// `sk-ant-…`, `SHA-256`), which no language translates (`Diagram:` and `OK.` are words).
// t() calls (any `t…` function: `tDesktop` from useTranslation('desktop')) and <Trans> pass.
// user-visible-strings.test.ts holds what each must catch and let pass.

const MESSAGE = 'a user-visible string must come from t() with keys in src-renderer/src/i18n/locales/{en,de,es}';

/** Attributes whose value a person reads or a screen reader speaks (whole-name patterns). */
export const USER_VISIBLE_ATTRIBUTES = [
  'alt',
  'aria-label',
  'aria-description',
  'aria-placeholder',
  'aria-roledescription',
  'aria-valuetext',
  'title',
  'placeholder',
  'label',
  // Our components' props that end up as one of the above or as text (ui/CopyButton, dialogs…).
  '[a-z][A-Za-z]*Label',
  '[a-z][A-Za-z]*Title',
  'heading',
  'hint',
  'description',
  'message',
  'text',
];

const NOT_WORDS = [/^[^\p{L}]*$/u, /^(?=\S*(?:\d|\S[._/:-]\S))\S+$/u];

/** Whether a piece of text has words that a language would translate. */
export function isWords(text) {
  const trimmed = text.trim();
  return trimmed !== '' && !NOT_WORDS.some((pattern) => pattern.test(trimmed));
}

export const userVisibleStringOptions = {
  mode: 'jsx-only',
  'jsx-components': { include: [], exclude: ['Trans'] },
  // Attributes are judged by strings/user-visible-attributes.
  'jsx-attributes': { include: [], exclude: ['.*'] },
  words: { exclude: NOT_WORDS },
  callees: { exclude: ['t', 't[A-Z]\\w*', 'i18n\\.t', 'i18next\\.t'] },
  'should-validate-template': true,
  message: MESSAGE,
};

const visibleAttribute = new RegExp(`^(?:${USER_VISIBLE_ATTRIBUTES.join('|')})$`);

/** The string pieces of an attribute value that end up shown: literals, template text, both arms of ?: and of ||/??/&&. */
function shownStrings(node, found = []) {
  if (!node) return found;
  if (node.type === 'Literal' && typeof node.value === 'string') found.push([node, node.value]);
  else if (node.type === 'TemplateLiteral') for (const quasi of node.quasis) found.push([node, quasi.value.cooked ?? quasi.value.raw]);
  else if (node.type === 'JSXExpressionContainer') shownStrings(node.expression, found);
  else if (node.type === 'ConditionalExpression') shownStrings(node.consequent, shownStrings(node.alternate, found));
  else if (node.type === 'LogicalExpression') shownStrings(node.left, shownStrings(node.right, found));
  else if (node.type === 'TSAsExpression' || node.type === 'TSSatisfiesExpression' || node.type === 'TSNonNullExpression') shownStrings(node.expression, found);
  return found;
}

/** @type {import('eslint').Rule.RuleModule} */
const userVisibleAttributes = {
  meta: {
    type: 'problem',
    docs: { description: 'no hard-coded words in the JSX attributes a person reads or hears' },
    schema: [],
    messages: { words: `${MESSAGE}: {{attribute}}="{{text}}"` },
  },
  create(context) {
    return {
      JSXAttribute(node) {
        const name = node.name.type === 'JSXNamespacedName' ? `${node.name.namespace.name}:${node.name.name.name}` : node.name.name;
        if (!visibleAttribute.test(name)) return;
        const reported = new Set();
        for (const [at, text] of shownStrings(node.value)) {
          if (!isWords(text) || reported.has(at)) continue;
          reported.add(at);
          context.report({ node: at, messageId: 'words', data: { attribute: name, text: text.trim().slice(0, 60) } });
        }
      },
    };
  },
};

export default { meta: { name: 'strings' }, rules: { 'user-visible-attributes': userVisibleAttributes } };
