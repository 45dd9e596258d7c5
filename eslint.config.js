import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

/**
 * The layers of lib/, lowest first (README, Architecture): each may import the layers before it and
 * never one after it. Type imports count: a type import is a dependency too. The emulator stands
 * apart: it imports the base files only, and only the CLI and the package's demo import it.
 */
export const LAYERS = [
  { name: 'base', paths: ['./lib/errors.ts', './lib/wire.ts', './lib/redaction.ts', './lib/lock.ts', './lib/callsite.ts', './lib/events.ts', './lib/suggest.ts', './lib/tracing.ts'] },
  // The Endpoint class is configuration: settings resolve to one.
  { name: 'config', paths: ['./lib/config', './lib/endpoint.ts'] },
  { name: 'http', paths: ['./lib/http'] },
  { name: 'journal', paths: ['./lib/journal'] },
  { name: 'orm', paths: ['./lib/orm'] },
  { name: 'apply', paths: ['./lib/apply'] },
  { name: 'package', paths: ['./lib/api.ts', './lib/index.ts', './lib/strict.ts', './lib/demo.ts'] },
  { name: 'cli', paths: ['./lib/cli'] },
];
export const EMULATOR = './lib/emulator';

/** The files whose runtime import graph must have no cycle (the core). */
const CORE = ['lib/config/**/*.ts', 'lib/http/**/*.ts', 'lib/journal/**/*.ts', 'lib/orm/**/*.ts', 'lib/apply/**/*.ts'];

const RESOURCES_ZONE = {
  target: './lib',
  from: './resources',
  message: 'lib/ reaches resources/ only through lib/index.ts (the package root) and lib/cli/load-resources.ts (the CLI).',
};

/** Which layer may import which: each only the ones below it; the emulator only the base files. */
const LAYER_ZONES = [
  ...LAYERS.slice(0, -1).map((layer, i) => ({
    target: layer.paths,
    from: [...LAYERS.slice(i + 1).flatMap((above) => above.paths), ...(layer.name === 'package' ? [] : [EMULATOR])],
    message: `lib's ${layer.name} layer imports only the layers below it (README, Architecture): ${LAYERS.slice(0, i).map((below) => below.name).join(', ') || 'none'}.`,
  })),
  {
    target: EMULATOR,
    from: LAYERS.slice(1).flatMap((layer) => layer.paths),
    message: 'The emulator shares nothing with the client but the base files (errors, locks, redaction).',
  },
];

const resolver = createTypeScriptImportResolver({ project: './tsconfig.json' });

/** One block of import-graph rules: runtime import cycles (type-only imports are erased) and zones. */
function importGraph({ files, ignores = [], cycles, zones }) {
  return {
    files,
    ignores,
    plugins: { 'import-x': importX },
    settings: {
      // What import-x needs to follow imports through TypeScript files (its flat `typescript` preset).
      ...importX.flatConfigs.typescript.settings,
      'import-x/resolver-next': [resolver],
    },
    rules: {
      ...(cycles ? { 'import-x/no-cycle': 'error' } : {}),
      'import-x/no-restricted-paths': ['error', { zones }],
    },
  };
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.test-results/**', 'docs/api/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      // Legacy decorators hand classes over as `Function` (TypeScript's ClassDecorator type).
      '@typescript-eslint/no-unsafe-function-type': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-eval': 'error',
      'no-new-func': 'error',
      'no-implied-eval': 'error',
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly', __dirname: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  // The import graph: the layers of lib/ (LAYERS), no runtime cycle in the core, and lib/ apart from
  // resources/. ESLint keeps one setting per rule and file, so the blocks cover disjoint files and
  // each file gets every zone that concerns it.
  importGraph({ files: CORE, cycles: true, zones: [...LAYER_ZONES, RESOURCES_ZONE] }),
  importGraph({ files: ['lib/**/*.ts'], ignores: [...CORE, 'lib/index.ts', 'lib/cli/load-resources.ts'], cycles: false, zones: [...LAYER_ZONES, RESOURCES_ZONE] }),
  importGraph({ files: ['lib/index.ts', 'lib/cli/load-resources.ts'], cycles: false, zones: LAYER_ZONES }),
);
