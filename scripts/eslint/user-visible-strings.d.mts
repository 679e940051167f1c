// Types of user-visible-strings.mjs for the TypeScript test that loads it.
import type { ESLint, Rule } from 'eslint';

export declare const USER_VISIBLE_ATTRIBUTES: string[];
export declare const userVisibleStringOptions: Record<string, unknown>;
export declare function isWords(text: string): boolean;
declare const plugin: ESLint.Plugin & { rules: { 'user-visible-attributes': Rule.RuleModule } };
export default plugin;
