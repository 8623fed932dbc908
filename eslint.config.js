import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { configs as litConfigs } from 'eslint-plugin-lit';
import { configs as wcConfigs } from 'eslint-plugin-wc';
import litA11y from 'eslint-plugin-lit-a11y';
import globals from 'globals';

/**
 * The layers, bottom up: domain and messaging ← storage / engines / documents / markdown / pwa / security ← state ←
 * components ← app ← main.
 * Each folder may import only from the layers below it; `docs/architecture.md` explains why.
 */
const folder = (name) => `^(\\.\\./)+${name}/`;
const layer = (names, message, extra = {}) => ({ regex: folder(`(${names.join('|')})`), message, ...extra });
const SERVICES = ['storage', 'engines', 'documents', 'markdown', 'pwa', 'security'];
const ABOVE_SERVICES = ['state', 'components', 'app', 'styles'];
const layerRules = [
  // The two bottom layers: the records and rules of the app, and the kit every worker's messages go through.
  ...['domain', 'messaging'].map((name) => ({
    files: [`src/${name}/**`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^\\.\\./', message: `${name}/ imports nothing: it is a bottom layer.` },
            { regex: '^[^.]', message: `${name}/ imports nothing, packages included: it is pure.` },
          ],
        },
      ],
    },
  })),
  ...SERVICES.map((name) => ({
    files: [`src/${name}/**`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            layer(
              [...SERVICES.filter((other) => other !== name), ...ABOVE_SERVICES],
              `${name}/ imports only domain/, messaging/ (and packages): it is a service below state/.`,
            ),
          ],
        },
      ],
    },
  })),
  {
    files: ['src/state/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [layer(['components', 'app', 'styles'], 'state/ is below the UI: it never imports it.')] },
      ],
    },
  },
  {
    files: ['src/components/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            layer(
              ['storage', 'engines', 'messaging', 'pwa', 'security', 'app'],
              'components/ import domain/, styles/ and markdown/ only.',
            ),
            layer(['state'], 'components/ take only types from state/: data comes in as properties.', {
              allowTypeImports: true,
            }),
          ],
        },
      ],
    },
  },
  {
    files: ['src/styles/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^\\.\\./', message: 'styles/ import nothing of ours.' }] },
      ],
    },
  },
];

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'bench/results/', 'dev-dist/'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  litConfigs['flat/recommended'],
  wcConfigs['flat/recommended'],
  litA11y.configs.recommended,
  {
    languageOptions: {
      globals: { ...globals.browser },
    },
    rules: {
      'no-console': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  ...layerRules,
  {
    // Tests assert what they just arranged; `!` there is clearer than a guard that can never fail.
    files: ['tests/**'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    files: ['scripts/**', 'bench/**', 'tests/e2e/**', 'tests/support/**', '*.config.*'],
    languageOptions: { globals: { ...globals.node } },
    rules: { 'no-console': 'off' },
  },
);
