// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', URL: 'readonly', AbortController: 'readonly', AbortSignal: 'readonly', TextEncoder: 'readonly', TextDecoder: 'readonly', structuredClone: 'readonly', setImmediate: 'readonly', queueMicrotask: 'readonly', performance: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    // Engines and auth methods see the rest of Ward only through the framework: DESIGN.md "Boundaries".
    files: ['src/engines/**/*.ts', 'src/auth/**/*.ts'],
    // Tests may build real storage and servers around an engine; the boundary is for the engine's own code.
    ignores: ['src/**/*.test.ts', 'src/**/*.suite.ts'],
    plugins: { 'import-x': importX },
    // Resolves `.js` specifiers to the `.ts` sources, so the zones below see every relative import.
    settings: { 'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })] },
    rules: {
      'import-x/no-restricted-paths': ['error', {
        zones: ['./src/engines', './src/auth'].map((target) => ({
          target,
          from: './src',
          except: ['./framework', './lib', target.replace('./src/', './')],
          message: 'engines/ and auth/ may import only src/framework/** and src/lib/** (DESIGN.md, Boundaries).',
        })),
      }],
    },
  },
  {
    files: ['bin/**/*.js', 'bench/**/*.js', 'scripts/**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);
