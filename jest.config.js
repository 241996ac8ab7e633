/** Tests are tiered by suffix: *.unit.spec.ts (pure), *.int.spec.ts (real PostgreSQL/Redis/PGlite), *.e2e.spec.ts (real HTTP). */
module.exports = {
  testEnvironment: 'node',
  rootDir: '.',
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/test'],
  testRegex: '.*\\.spec\\.ts$',
  moduleFileExtensions: ['ts', 'js', 'json'],
  // Type checking runs once via `tsc --noEmit` in `npm test`; ts-jest only transpiles (much faster).
  transform: { '^.+\\.ts$': ['ts-jest', { isolatedModules: true, diagnostics: false }] },
  // Generous: the suite must pass on a busy 2-core machine; tests wait on observed state, not on time.
  testTimeout: 90_000,
  // A failing run must end (an open handle left by a failed test would otherwise keep jest alive).
  forceExit: true,
};
