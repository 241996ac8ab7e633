import { join } from 'node:path';
import { ESLint, Linter } from 'eslint';
import { parser } from 'typescript-eslint';

/**
 * Events are parsed in one place (libs/events); everywhere else a cast of an event or of its payload is a lint
 * error (eslint.config.mjs, `no-restricted-syntax`). This proves the rule as configured for each kind of file,
 * so that loosening the config is seen: the real config is asked which rule settings apply to a path, and
 * those settings are run on small snippets (syntax only, no type information: fast).
 */
const ROOT = join(__dirname, '../..');
const eslint = new ESLint({ cwd: ROOT });

async function castErrors(path: string, code: string): Promise<string[]> {
  const config = await eslint.calculateConfigForFile(join(ROOT, path));
  const setting = config?.rules?.['no-restricted-syntax'];
  if (setting === undefined) throw new Error(`no no-restricted-syntax setting for ${path}`);
  const messages = new Linter().verify(code, {
    languageOptions: { parser },
    rules: { 'no-restricted-syntax': setting },
  });
  return messages.map((m) => m.message);
}

const EVENT_CASTS = [
  'const d = event.data as Record<string, any>;',
  'const d = events.find((e) => e.type === "X")?.data as { caseId: string };',
  'const e = recorded as unknown as CaseEvent;',
  'const e = recorded as CaseEvent;',
  'const all = recorded as unknown as DomainEvent[];',
];

describe('eslint.config.mjs: no cast of events outside libs/events', () => {
  it("widening a payload to the store's record, to append it, is not a cast of an event", async () => {
    expect(
      await castErrors('libs/some/writer.ts', 'const n = { type: e.type, data: e.data as Record<string, unknown> };'),
    ).toEqual([]);
    expect(
      await castErrors('libs/some/writer.ts', 'const n = { data: e.data as Record<string, string> };'),
    ).toHaveLength(1);
  });

  it.each(['libs/projections/read-models/some.projection.ts', 'apps/casetrail/some.ts', 'bench/suites/some.ts'])(
    'service and bench code (%s): every event cast is an error',
    async (path) => {
      // (`as unknown as` is also reported as such here.)
      for (const code of EVENT_CASTS)
        expect(await castErrors(path, code)).toEqual(expect.arrayContaining([expect.stringContaining('libs/events')]));
    },
  );

  it('service code: `as any` and `as unknown as` are errors whatever they cast', async () => {
    const path = 'libs/cases/some.service.ts';
    expect(await castErrors(path, 'const x = value as any;')).toEqual([expect.stringContaining('`as any`')]);
    expect(await castErrors(path, 'const x = value as unknown as Options;')).toEqual([
      expect.stringContaining('`as unknown as`'),
    ]);
    expect(await castErrors(path, 'const x = value as Options;')).toEqual([]);
  });

  it('tests: fakes may be cast, events may not', async () => {
    const path = 'test/e2e/some.e2e.spec.ts';
    expect(await castErrors(path, 'const store = fake as unknown as EventStore;')).toEqual([]);
    for (const code of EVENT_CASTS)
      expect(await castErrors(path, code)).toEqual([expect.stringContaining('libs/events')]);
  });

  it('libs/events, the one parsing place, may cast', async () => {
    const config = await eslint.calculateConfigForFile(join(ROOT, 'libs/events/event-parser.ts'));
    const setting: unknown = config?.rules?.['no-restricted-syntax'];
    expect(Array.isArray(setting) ? setting[0] : setting).toBe(0); // off
  });
});
