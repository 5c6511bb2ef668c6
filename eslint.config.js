// Lint that bites (STYLE.md §10): type-aware typescript-eslint, floating promises, no `any`,
// exhaustive switches on unions.
import eslint from '@eslint/js';
import boundaries from 'eslint-plugin-boundaries';
import tseslint from 'typescript-eslint';

/**
 * The layers and which may import which: ARCHITECTURE.md's table, enforced on every import in
 * src/ and workers/ (tests/architecture.test.ts keeps the two the same). No file is an exception.
 */
export const LAYERS = [
  { layer: 'core', folder: 'src/core', mayImport: [] },
  { layer: 'protocol', folder: 'src/protocol', mayImport: ['core'] },
  { layer: 'model', folder: 'src/model', mayImport: ['core'] },
  { layer: 'engine', folder: 'src/engine', mayImport: ['core', 'model'] },
  { layer: 'remote', folder: 'src/remote', mayImport: ['core'] },
  { layer: 'search', folder: 'src/search', mayImport: ['core', 'protocol'] },
  { layer: 'search-worker', folder: 'src/search-worker', mayImport: ['core', 'protocol', 'search'] },
  {
    layer: 'workers',
    folder: 'workers',
    mayImport: ['core', 'protocol', 'model', 'engine', 'search', 'search-worker'],
  },
  { layer: 'client', folder: 'src/client', mayImport: ['core', 'protocol', 'remote', 'workers'] },
  { layer: 'widget', folder: 'src/widget', mayImport: ['core', 'protocol', 'client', 'search'] },
  { layer: 'demo', folder: 'src/demo', mayImport: ['core', 'protocol', 'client', 'search'] },
  { layer: 'offline', folder: 'src/offline', mayImport: ['core', 'protocol'] },
  { layer: 'node', folder: 'src/node', mayImport: ['core', 'protocol', 'model', 'engine', 'remote', 'search'] },
];

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'node_modules/',
      'public/',
      'test-results/',
      'playwright-report/',
      'bin/',
      '.gpu-stage/',
      'e2e/consumer/',
      '.exp/',
      'bench/out/',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      // Each file is type-checked in its own context (worker code sees WebWorker types, pages DOM).
      parserOptions: {
        project: ['./tsconfig.core.json', './tsconfig.worker.json', './tsconfig.ui.json', './tsconfig.node.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    // vitest's asymmetric matchers (expect.objectContaining) are typed `any`, and fakes of async
    // interfaces need no await.
    files: ['tests/**/*.ts', 'e2e/**/*.ts'],
    rules: { '@typescript-eslint/no-unsafe-assignment': 'off', '@typescript-eslint/require-await': 'off' },
  },
  {
    files: ['src/**/*.ts', 'workers/**/*.ts'],
    plugins: { boundaries },
    settings: {
      'boundaries/elements': LAYERS.map(({ layer, folder }) => ({ type: layer, pattern: folder, partialMatch: false })),
    },
    rules: {
      // A shape is checked, not asserted: outside data goes through a guard (core/is-record.ts);
      // the few assertions left say why on the line above.
      '@typescript-eslint/no-unsafe-type-assertion': 'error',
      'boundaries/no-unknown-files': 'error',
      'boundaries/dependencies': [
        'error',
        {
          default: 'disallow',
          policies: LAYERS.map(({ layer, mayImport }) => ({
            from: { element: { type: layer } },
            allow: { to: { element: { types: { anyOf: [layer, ...mayImport] } } } },
          })),
        },
      ],
    },
  },
  { files: ['**/*.js'], ...tseslint.configs.disableTypeChecked },
);
