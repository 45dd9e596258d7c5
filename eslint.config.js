import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

/** The layers whose import graph is checked: no cycle, and each imports only the ones below it. */
const LAYERS = ['lib/config/**/*.ts', 'lib/http/**/*.ts', 'lib/orm/**/*.ts'];

const RESOURCES_ZONE = {
  target: './lib',
  from: './resources',
  message: 'lib/ reaches resources/ only through lib/index.ts (the package root) and lib/cli/load-resources.ts (the CLI).',
};

/** Which layer may import which: each only the ones below it. */
const LAYER_ZONES = [
  {
    target: './lib/config',
    from: './lib/http',
    message: 'Configuration returns data only: it may name the wire shapes (lib/wire.ts), never the transport.',
  },
  { target: './lib/config', from: ['./lib/orm', './lib/cli', './lib/emulator'], message: 'Configuration is the lowest layer.' },
  { target: './lib/http', from: './lib/journal', message: 'The transport knows nothing of its listeners: the journal subscribes (lib/http/listeners.ts).' },
  { target: './lib/http', from: ['./lib/orm', './lib/cli', './lib/emulator'], message: 'The transport layer does not depend on the layers above it.' },
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
  // The import graph: the library's layers config (data) ← http (transport) ← orm, and lib/ apart
  // from resources/. ESLint keeps one setting per rule and file, so the blocks cover disjoint files
  // and each file gets every zone that concerns it.
  importGraph({ files: LAYERS, cycles: true, zones: [...LAYER_ZONES, RESOURCES_ZONE] }),
  importGraph({ files: ['lib/**/*.ts'], ignores: [...LAYERS, 'lib/index.ts', 'lib/cli/load-resources.ts'], cycles: false, zones: [RESOURCES_ZONE] }),
);
