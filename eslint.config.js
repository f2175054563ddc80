// One lint gate for server, web, tests and benchmarks (run by `npm test`).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
// The es-tooling fork of eslint-plugin-jsx-a11y: the same rules, and it declares ESLint 10 support.
import jsxA11y from 'eslint-plugin-jsx-a11y-x';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'test-results/**', '.tmp/**', '.tmp-*'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { ...globals.node, ...globals.browser },
      // Type information for the rules that need it; each file is checked with its own part's tsconfig
      // (domain/, server/, web/, or the root one for tests and tools).
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      // A promise nobody awaits loses its error: in the server that is a write failing silently.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
    },
  },
  { files: ['eslint.config.js', 'server/start.mjs'], ...tseslint.configs.disableTypeChecked },
  {
    files: ['web/**/*.tsx'],
    ...reactHooks.configs.flat['recommended-latest'],
  },
  {
    files: ['web/**/*.tsx'],
    ...jsxA11y.configs.recommended,
  },
  {
    files: ['web/**/*.tsx'],
    rules: {
      // A list styled without bullets loses its list semantics in Safari/VoiceOver unless it says role="list".
      'jsx-a11y-x/no-redundant-roles': ['error', { ul: ['list'] }],
    },
  },
);
