// ESLint (flat config) with typescript-eslint, run by `npm test` through `npm run lint`.
// The recommended rule sets, without the type-checked ones (they need a full type-check per run,
// over a minute on a small CI box; `npm run typecheck` covers types). Formatting is Prettier's
// job (.prettierrc), so there are no stylistic rules here.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'module',
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly' },
    },
    rules: {
      // terminal escapes (\u001b[…m) and XML's forbidden control characters are matched on purpose
      'no-control-regex': 'off',
      // `_name` marks a parameter or binding kept for its position
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // tests match aligned CLI output ("PASS  …") and poke at parsed JSON
    files: ['test/**/*.ts'],
    rules: {
      'no-regex-spaces': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
);
