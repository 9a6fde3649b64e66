// ESLint flat config: typescript-eslint's recommended rules, Prettier owns the layout
// (eslint-config-prettier turns off the rules it would fight), and a few rules of this house.
import js from '@eslint/js'
import prettier from 'eslint-config-prettier'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  {ignores: ['dist/', 'node_modules/', 'coverage/', 'test/fixtures/', 'examples/dumps/', '**/*.d.ts']},
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setImmediate: 'readonly',
        structuredClone: 'readonly',
        performance: 'readonly',
        AbortController: 'readonly',
        TextDecoder: 'readonly',
        TextEncoder: 'readonly',
        __dirname: 'readonly',
        require: 'readonly',
        module: 'writable',
        queueMicrotask: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        globalThis: 'readonly',
      },
    },
    rules: {
      // Prettier wraps code at 120 columns; what is still longer is a message, a regular expression or a URL.
      'max-len': [
        'error',
        {
          code: 120,
          ignoreStrings: true,
          ignoreTemplateLiterals: true,
          ignoreRegExpLiterals: true,
          ignoreUrls: true,
          ignoreComments: false,
        },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        {argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none'},
      ],
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'child_process',
              message: 'Run commands through execa with an argv array (src/evidence/), never a shell.',
            },
          ],
        },
      ],
      eqeqeq: ['error', 'always', {null: 'ignore'}],
      // A failed best-effort read (a stat, an optional file) is an empty catch on purpose.
      'no-empty': ['error', {allowEmptyCatch: true}],
      // Terminal colour codes are stripped with \x1b patterns.
      'no-control-regex': 'off',
    },
  },
  {
    // bin/ is CommonJS on purpose (bin/package.json): loading an ES module entry costs start-up time.
    files: ['bin/**/*.js'],
    languageOptions: {sourceType: 'commonjs'},
    rules: {'@typescript-eslint/no-require-imports': 'off'},
  },
  {
    // Tests read JSON reports of any shape.
    files: ['test/**/*.ts'],
    rules: {'@typescript-eslint/no-explicit-any': 'off'},
  },
)
