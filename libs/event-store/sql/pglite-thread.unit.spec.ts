import { PGLITE_THREAD_SOURCE } from './pglite-thread';

describe('the PGlite thread source', () => {
  it('is one self-contained function: it reaches nothing of its module (imports, exports), which the eval thread would not have', () => {
    expect(PGLITE_THREAD_SOURCE).toMatch(/^\(function pgliteThread\(\) \{/);
    expect(PGLITE_THREAD_SOURCE).toMatch(/\}\)\(\);$/);
    // What a compiled reference to an import or an export of the module looks like.
    expect(PGLITE_THREAD_SOURCE).not.toMatch(/\b\w+_\d+\.|(?<![.\w])exports\b|(?<![.\w])module\./);
    // Compiled, not run: a syntax check of the text the eval thread gets.
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    expect(() => new Function(PGLITE_THREAD_SOURCE)).not.toThrow();
  });
});
