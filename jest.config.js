/** Jest runs the TypeScript sources in ESM mode; type errors are caught by `npm run typecheck`. */
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/spec'],
  testMatch: ['**/*.spec.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: '<rootDir>/tsconfig.json' }],
  },
  setupFiles: ['<rootDir>/spec/support/setup.ts', '<rootDir>/spec/support/sync-worker-setup.ts'],
  // Restores nock after each file that loaded it (see the file for why).
  setupFilesAfterEnv: ['<rootDir>/spec/support/nock-cleanup.ts'],
  reporters: ['default', '<rootDir>/spec/support/summary-reporter.cjs'],
  testTimeout: 30000,
};
