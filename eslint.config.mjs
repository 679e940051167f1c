// Lint rules, including the layer map (scripts/eslint/layer-map.mjs) held by `local/layers`:
// which folder may import which, other layers only through their index.ts, test support only from
// tests, and the process boundaries (electron only in src-main/app and the preload; no Node in the
// renderer or src-shared); and no hard-coded user-visible string in a renderer component.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import i18next from 'eslint-plugin-i18next';
import local from './scripts/eslint/layers.mjs';
import strings, { userVisibleStringOptions } from './scripts/eslint/user-visible-strings.mjs';

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'coverage/**', 'fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    plugins: { local },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'local/layers': 'error',
    },
  },
  {
    files: ['src-renderer/**', 'test-support/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    // A hard-coded user-visible string in a renderer component fails lint (user-visible-strings.mjs).
    files: ['src-renderer/**/*.tsx'],
    ignores: ['**/*.test.tsx'],
    plugins: { i18next, strings },
    rules: {
      'i18next/no-literal-string': ['error', userVisibleStringOptions],
      'strings/user-visible-attributes': 'error',
    },
  },
);
