/** Tests are tiered by suffix: *.unit.spec.ts (pure), *.int.spec.ts (real PostgreSQL/Redis/PGlite), *.e2e.spec.ts (real HTTP). */
module.exports = {
  testEnvironment: 'node',
  rootDir: '.',
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/test'],
  testRegex: '.*\\.spec\\.ts$',
  moduleFileExtensions: ['ts', 'js', 'json'],
  // Type checking runs once via `tsc --noEmit` in `npm test`; ts-jest only transpiles (much faster).
  transform: { '^.+\\.ts$': ['ts-jest', { isolatedModules: true, diagnostics: false }] },
  // Most of a file's time is spent waiting (on SLA timers due in seconds, on processes starting, on
  // PostgreSQL), not computing: three files at once keep a 2-core machine busy even with one core
  // taken by something else (jest's default there is a single worker). Each file has its own
  // schema, DATA_DIR and Redis prefix, so files never share state. `--maxWorkers=N` overrides.
  maxWorkers: 3,
  // Generous: the suite must pass on a busy 2-core machine; tests wait on observed state, not on time.
  testTimeout: 90_000,
  // The slowest files first, by jest's cached durations or else test/durations.json (a clean clone has
  // no cache; file size, jest's fallback, says little about how long a file waits).
  testSequencer: '<rootDir>/test/support/slowest-first-sequencer.js',
  // A failing run must end (an open handle left by a failed test would otherwise keep jest alive).
  forceExit: true,
};
