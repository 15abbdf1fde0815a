import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'media/', '.node-red/', '.test-tmp/', '.bench/', 'nodes/**/*.html'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      // `const node = this` is how Node-RED node constructors are written.
      '@typescript-eslint/no-this-alias': ['error', { allowedNames: ['node'] }],
    },
  },
  {
    // Editor code served from resources/: runs in the browser, beside jQuery and Node-RED's RED.
    files: ['resources/**/*.js'],
    languageOptions: {
      sourceType: 'script',
      globals: { ...globals.browser, RED: 'readonly', $: 'readonly' },
    },
  },
  {
    // The area editor's model is pure, so that it is unit-tested in Node: no DOM, jQuery or RED.
    files: ['resources/area-model.js'],
    languageOptions: {
      globals: {
        ...Object.fromEntries(Object.keys(globals.browser).map((name) => [name, 'off'])),
        window: 'readonly',
        RED: 'off',
        $: 'off',
      },
    },
  },
  {
    // The shipped flows' function nodes (flows/functions/): each file is a function-node body as
    // Node-RED runs it (a top-level `return msg;`), with the globals of its sandbox and no Node's.
    files: ['flows/functions/**/*.js'],
    languageOptions: {
      sourceType: 'script',
      parserOptions: { ecmaFeatures: { globalReturn: true } },
      globals: {
        ...Object.fromEntries(Object.keys(globals.node).map((name) => [name, 'off'])),
        ...globals.es2021,
        ...Object.fromEntries(
          ['msg', 'node', 'context', 'flow', 'global', 'env', 'RED', 'util', 'console', 'Buffer']
            .concat(['URL', 'URLSearchParams', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'])
            .map((name) => [name, 'readonly']),
        ),
      },
    },
  },
  {
    // The core stays framework-free: it is unit-tested without a runtime and reused by the
    // offline tools and benchmarks.
    files: ['nodes/lib/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node-red', '@node-red/*', '../../*/*', '../../shared/*'],
              message: 'nodes/lib must not depend on Node-RED or on node glue.',
            },
          ],
          paths: [
            {
              name: 'sharp',
              message: 'import sharp from nodes/lib/image/sharp (its cache is off for frames).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['nodes/lib/image/sharp.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    // Node-RED reads its settings file, and mocha its reporter, with require(): they stay CommonJS.
    files: ['node-red/settings.js', 'support/summary-reporter.js'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['test/**/*.ts'],
    languageOptions: { globals: { ...globals.mocha } },
    rules: { '@typescript-eslint/no-unused-expressions': 'off' },
  },
);
