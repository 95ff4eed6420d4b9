// Boundaries of DESIGN.md as allow-lists (docs/development.md, "Where code goes"): each runtime
// says what it may import; everything else is refused, including `import type`, re-exports and
// dynamic `import()`, Node built-ins and Node-only packages. scripts/boundaries.test.ts lints a
// folder of deliberate violations and expects each one to be reported.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import boundaries from 'eslint-plugin-boundaries';
import i18next from 'eslint-plugin-i18next';
import { dirname, relative, resolve, sep } from 'node:path';

/** Tests and their support files (test-kit, test-support…). */
const TEST_FILES = ['**/*.test.ts', '**/*.test.tsx', '**/test-support.ts', '**/test-kit.ts', '**/test-harness.ts', '**/test-helpers.ts', '**/test-fakes.ts', '**/test-pg.ts', '**/simulation.ts'];
/** Libraries every test may use, whatever runtime it tests. */
// ajv: conf's own validator, which the settings tests use to check the schema against its meta-schema.
const TEST_LIBS = ['ajv', 'vitest', 'fast-check'];

/** Where each runtime's code lives. */
const ELEMENTS = [
  { type: 'shared', pattern: 'shared' },
  { type: 'renderer', pattern: 'renderer' },
  { type: 'preload', pattern: 'electron/preload' },
  { type: 'main', pattern: 'electron/main' },
  { type: 'core', pattern: 'electron/core' },
  { type: 'gateway', pattern: 'electron/gateway' },
  { type: 'web', pattern: 'electron/web' },
  { type: 'tools', pattern: '(e2e|bench|build|scripts|types)' },
];

/** The allow-list: our code each runtime may import, Node built-ins or not, and which packages. */
const ALLOWED = {
  shared: { ours: ['shared'], node: false, packages: ['zod', '@js-temporal/polyfill'] },
  renderer: { ours: ['renderer', 'shared'], node: false, packages: ['react', 'react/*', 'react-dom', 'react-dom/*', 'zustand', 'zustand/*', '@tanstack/react-virtual', 'i18next', 'react-i18next'] },
  preload: { ours: ['preload', 'shared'], node: false, packages: ['electron', 'electron/renderer'] },
  main: { ours: ['main', 'core', 'gateway', 'shared'], node: true, packages: ['electron', 'electron/main', 'electron-store', 'conf', 'pino', 'zod'] },
  core: { ours: ['core', 'gateway', 'shared'], node: true, packages: ['better-sqlite3-multiple-ciphers', 'conf', 'pino', 'zod', 'card-validator', 'pg', 'node-thermal-printer', 'iconv-lite', '@napi-rs/canvas', 'csv-parse', 'csv-parse/*'] },
  gateway: { ours: ['gateway', 'shared'], node: true, packages: ['better-sqlite3-multiple-ciphers', 'pino', 'zod', 'card-validator'] },
  web: { ours: ['web', 'core', 'gateway', 'shared'], node: true, packages: ['pino', 'vite', 'zod', 'ws'] },
};

function policies(extra = []) {
  const out = [{ from: { element: { type: 'tools' } }, allow: { to: { module: { origin: ['local', 'external', 'core'] } } } }];
  for (const [type, rule] of Object.entries(ALLOWED)) {
    const from = { element: { type } };
    out.push({ from, allow: { to: { element: { types: { anyOf: rule.ours } } } } });
    out.push({ from, allow: { to: { module: { origin: 'external', source: [...rule.packages, ...extra] } } } });
    if (rule.node) out.push({ from, allow: { to: { module: { origin: 'core' } } } });
  }
  return out;
}

const dependencies = (extra) => ['error', { default: 'disallow', checkAllOrigins: true, checkUnknownLocals: true, policies: policies(extra) }];

/**
 * The core's floors (docs/architecture.md): a feature folder under electron/core/ is reached by
 * other features only through its public face, `<feature>/index.ts`. Files directly in
 * electron/core (ports, deps, clock, events, context; the wiring in app.ts and default-ports.ts)
 * and the ground-floor folders below are open to all. Tests may reach into what they test.
 */
const CORE_GROUND = ['ledger', 'db'];
const featureFace = {
  meta: { type: 'problem', schema: [], messages: { internal: "'{{to}}/{{file}}' is inside the {{to}} feature: import from '{{to}}/index.ts' (its public face), or move what is shared to the ground floor (ledger/, ports.ts)." } },
  create(context) {
    const root = context.cwd;
    const file = relative(root, context.filename).split(sep).join('/');
    const own = /^electron\/core\/([^/]+)\//.exec(file)?.[1];
    if (!own || CORE_GROUND.includes(own)) return {};
    const check = (node, source) => {
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const target = relative(root, resolve(dirname(context.filename), source)).split(sep).join('/');
      const m = /^electron\/core\/([^/]+)\/(.+)$/.exec(target);
      if (!m) return;
      const [, to, rest] = m;
      if (to === own || CORE_GROUND.includes(to) || /^index(\.ts)?$/.test(rest)) return;
      context.report({ node, messageId: 'internal', data: { to, file: rest } });
    };
    return {
      ImportDeclaration: (n) => check(n, n.source.value),
      ExportNamedDeclaration: (n) => n.source && check(n, n.source.value),
      ExportAllDeclaration: (n) => check(n, n.source.value),
      ImportExpression: (n) => n.source.type === 'Literal' && check(n, n.source.value),
    };
  },
};

/** Rules that need the type checker (a file outside every tsconfig cannot run them). */
export const TYPE_AWARE_RULES = {
  '@typescript-eslint/no-floating-promises': 'error',
  '@typescript-eslint/no-misused-promises': 'error',
  '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
  '@typescript-eslint/no-unnecessary-type-assertion': 'error',
};

/**
 * Renderer folders whose words all come from the catalogues (docs/i18n.md): a literal in JSX text
 * or in a user-visible attribute is an error there. Append a folder when its words are moved.
 */
const I18N_DONE = ['renderer/i18n/**', 'renderer/features/settings/**', 'renderer/unlock/**', 'renderer/app/**', 'renderer/ui/**', 'renderer/features/session/**', 'renderer/features/order/**', 'renderer/features/customers/**', 'renderer/features/confirmation/**', 'renderer/features/transactions/**', 'renderer/features/queue/**', 'renderer/features/recurring/**', 'renderer/features/reports/**', 'renderer/features/audit/**', 'renderer/features/links', 'renderer/features/bulk', 'renderer/features/printing', 'renderer/features/catalog/**'];

export default tseslint.config(
  { ignores: ['node_modules', 'dist', 'dist-electron', 'dist-web', 'tmp', 'release', 'test-results', 'playwright-report', '.data', 'bench/.cache', 'scripts/boundary-fixtures'] },
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
  // Type-aware rules (docs/development.md): each file is typed by its runtime's tsconfig through
  // the project service. A forgotten promise, a promise where a callback expects void, a switch
  // that misses a case and an assertion that changes nothing are errors.
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: TYPE_AWARE_RULES,
  },
  {
    files: ['**/*.ts', '**/*.tsx'],
    plugins: { boundaries },
    settings: {
      'boundaries/elements': ELEMENTS,
      'boundaries/dependency-nodes': ['import', 'dynamic-import', 'export', 'require'],
      // Extensionless TypeScript imports (moduleResolution: bundler).
      'import/resolver': { node: { extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'] } },
    },
    rules: { 'boundaries/dependencies': dependencies([]) },
  },
  {
    files: ['electron/core/**/*.ts'],
    ignores: TEST_FILES,
    plugins: { core: { rules: { 'feature-face': featureFace } } },
    rules: { 'core/feature-face': 'error' },
  },
  // Tests may use the test libraries; everything else about their runtime's boundary holds.
  { files: TEST_FILES, rules: { 'boundaries/dependencies': dependencies(TEST_LIBS) } },
  {
    files: I18N_DONE.map((d) => `${d}/*.{ts,tsx}`),
    ignores: TEST_FILES,
    plugins: { i18next },
    rules: {
      'i18next/no-literal-string': ['error', {
        mode: 'jsx-only',
        // The plugin's own list, plus `tl` (a second namespace's t, e.g. useTranslation('links')).
        callees: { exclude: ['i18n(ext)?', 't', 'tl', 'require', 'addEventListener', 'removeEventListener', 'postMessage', 'getElementById', 'dispatch', 'commit', 'includes', 'indexOf', 'endsWith', 'startsWith'] },
        'jsx-attributes': { include: ['aria-label', 'aria-description', 'title', 'placeholder', 'alt', 'label', 'hint', 'confirmLabel', 'description'] },
      }],
    },
  },
);

