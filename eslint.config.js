// Boundaries of DESIGN.md, enforced here rather than by convention:
// renderer imports only shared/; shared/ imports nothing of ours; electron/core and
// electron/gateway never import 'electron'; only electron/main and electron/preload do.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';


export default tseslint.config(
  { ignores: ['node_modules', 'dist', 'dist-electron', 'release', 'test-results', 'playwright-report', '.data', 'bench/.cache'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    files: ['shared/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['**/electron/**', '**/renderer/**', '**/e2e/**', '**/bench/**'], message: 'shared/ imports nothing of ours outside shared/.' },
          { group: ['node:*', 'fs', 'path', 'crypto', 'http', 'https', 'os', 'child_process'], message: 'shared/ is pure: no Node built-ins.' },
          { group: ['electron', 'react', 'react-dom', 'zustand'], message: 'shared/ is pure: no Electron, no DOM frameworks.' },
        ],
      }],
    },
  },
  {
    files: ['renderer/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['**/electron/**', '**/e2e/**', '**/bench/**'], message: 'The renderer imports only shared/ (and talks to window.pos).' },
          { group: ['electron', 'node:*', 'fs', 'path', 'crypto', 'http', 'child_process', 'better-sqlite3-multiple-ciphers'], message: 'The renderer has no Node or Electron access.' },
        ],
      }],
    },
  },
  {
    files: ['electron/core/**', 'electron/gateway/**', 'electron/web/**'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'electron', message: 'Only electron/main and electron/preload may import electron.' }],
        patterns: [
          { group: ['**/renderer/**'], message: 'Main-side code does not import the renderer.' },
          { group: ['**/electron/main/**', '**/main/**'], message: 'core, gateway and web never depend on the Electron shell.' },
        ],
      }],
    },
  },
  {
    files: ['electron/preload/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['**/core/**', '**/gateway/**', '**/web/**', '**/renderer/**'], message: 'The preload only bridges contract channels.' }],
      }],
    },
  },
);
