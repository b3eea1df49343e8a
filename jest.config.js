// One jest run, two projects: pure unit tests (no database) and e2e tests that
// boot the whole AppModule against real PostgreSQL (see test/setup/*).
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
  },
];
const moduleNameMapper = {
  '^@app/([a-z-]+)$': '<rootDir>/libs/$1/src',
  '^@app/([a-z-]+)/(.*)$': '<rootDir>/libs/$1/src/$2',
};
module.exports = {
  testTimeout: 60000,
  // Jest's default is one worker fewer than the cores: one on a 2-core machine. The e2e files mostly wait (on
  // PostgreSQL, Chromium, Radicale), so two workers there halve the suite (measured 2026-12-03 on 2 cores: 357 s
  // with one, 177 s with two). Capped at 4: each file's app holds a pool of PostgreSQL connections.
  maxWorkers: Math.min(4, Math.max(2, require('node:os').availableParallelism() - 1)),
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      transform: { '^.+\\.ts$': swc },
      moduleNameMapper,
      testMatch: [
        '<rootDir>/libs/**/*.spec.ts',
        '<rootDir>/apps/**/*.spec.ts',
        '<rootDir>/test/architecture/**/*.spec.ts',
      ],
    },
    {
      displayName: 'e2e',
      testEnvironment: 'node',
      transform: { '^.+\\.ts$': swc },
      moduleNameMapper,
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/setup/global-setup.ts',
      globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
    },
  ],
};
