// ESLint (flat config): JavaScript's and typescript-eslint's recommended rules, the rules of hooks,
// and the import boundaries between the mini-program, the server and the contracts they share:
//   src/            never imports server/ (nor Node's built-ins: the mini-program has no Node);
//   server/ …       imports from src/ only src/contracts (nor React or Taro);
//   src/contracts/  imports only valibot and its own siblings.
// `npm run lint` allows no warning (CI runs it).
import js from '@eslint/js'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'
import tseslint from 'typescript-eslint'

/** The server side: the backend, its scripts and build config, and their tests and helpers. */
const SERVER_SIDE = ['server/**/*.ts', 'scripts/**/*.{ts,mjs,js,cjs}', 'config/**/*.ts', 'test/server/**/*.ts', 'test/helpers/**/*.{ts,cjs}', 'test/e2e/**/*.{ts,cjs}']
/** The client side: the mini-program and its tests. */
const CLIENT_SIDE = ['src/**/*.{ts,tsx}', 'test/client/**/*.{ts,tsx}', 'test/types/**/*.ts']
const TESTS = ['test/**/*.{ts,tsx,cjs}']

/** Imports that cross from the client into the server. */
const NO_SERVER = { regex: '(^|/)server(/|$)', message: 'The mini-program never imports the server: share code through src/contracts.' }
const NO_NODE = { regex: '^node:', message: 'The mini-program has no Node built-ins.' }

export default tseslint.config(
  { ignores: ['dist/**', 'dist-h5/**', 'cloudfunctions/**', 'data/**', 'coverage/**', 'node_modules/**', '**/*.d.ts'] },
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },

  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // `_name` marks an argument or binding kept on purpose (a handler's unused input, a skipped tuple slot).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
    },
  },

  // The mini-program: browser globals, the rules of hooks.
  {
    files: CLIENT_SIDE,
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['src/contracts/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [NO_SERVER, NO_NODE] }] },
  },
  {
    files: ['test/client/**/*.{ts,tsx}', 'test/types/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [NO_SERVER] }] },
  },

  // The contracts both sides share: valibot and each other, nothing else.
  {
    files: ['src/contracts/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!valibot$|\\./[^/]+$)',
              message: 'src/contracts imports only valibot and its own siblings (./name): both the mini-program and the server load it.',
            },
          ],
        },
      ],
    },
  },

  // The server side: Node globals; from src/ only the contracts.
  {
    files: SERVER_SIDE,
    languageOptions: { globals: { ...globals.node } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '(^|/)src/(?!contracts/)', message: 'The server imports only src/contracts from the mini-program.' },
            { regex: '^(react|react-dom|zustand|@tarojs/.*)(/|$)', message: 'React and Taro belong to the mini-program, not the server.' },
          ],
        },
      ],
    },
  },
  {
    // Taro's build config runs in Node and names Taro's own packages.
    files: ['config/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },

  // Migrations take Kysely<any>: a migration must not depend on the schema types of today's code.
  {
    files: ['server/db/migrations/**/*.ts', 'server/db/create-db.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },

  // Tests may use `any` for fixtures and fakes and `require` a module afresh; the code under test may not.
  {
    files: TESTS,
    languageOptions: { globals: { ...globals.node, ...globals.jest } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    files: ['**/*.cjs', 'babel.config.js', 'jest.config.js', 'jest.e2e.config.js'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.mjs'],
    languageOptions: { globals: { ...globals.node } },
  },
)
