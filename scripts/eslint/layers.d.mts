// Types of the local lint plugin (layers.mjs) for the TypeScript tests that load it.
import type { ESLint, Rule } from 'eslint';

declare const plugin: ESLint.Plugin & { rules: { layers: Rule.RuleModule } };
export default plugin;
