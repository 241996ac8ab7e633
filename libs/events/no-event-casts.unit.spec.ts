import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * Events get their types in one place (event-parser.ts) and their stream names in another
 * (streams.ts). This reads every source file (not the tests) and fails, naming file and line,
 * where a consumer or reader takes a shortcut round them: a cast of an event or its data, `any`,
 * or a stream name built or taken apart by hand.
 */
const ROOT = join(__dirname, '..', '..');

/** Where such code may stand, and why. */
const ALLOWED: Record<string, string> = {
  'libs/events/event-parser.ts': 'the one parsing place',
  'libs/events/streams.ts': 'the one place naming streams',
};

const RULES: Array<{ pattern: RegExp; says: string }> = [
  { pattern: /\.data\s+as\s/, says: "casts an event's data" },
  { pattern: /\bas\s+(unknown\s+as\s+)?\w*Events?\b(\[\])?/, says: 'casts to an event type' },
  { pattern: /\bas\s+any\b|<any>|:\s*any\b/, says: 'uses any' },
  { pattern: /Record<string,\s*any>\s*;?\s*$|event\.data as|e\.data as/, says: 'reads event data untyped' },
  { pattern: /streamId\.slice\(|streamId\.substring\(|\^case-|\^engineer-/, says: 'takes a stream name apart by hand' },
  { pattern: /[`'"](case|engineer)-\$\{/, says: 'builds a stream name by hand' },
];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : sources(path);
    return path.endsWith('.ts') && !path.endsWith('.spec.ts') ? [path] : [];
  });
}

describe('typed events end to end: no casts of events outside the parsing place', () => {
  it('no source file of libs/ or apps/ casts events, uses any on them, or handles stream names by hand', () => {
    const offences: string[] = [];
    for (const file of [...sources(join(ROOT, 'libs')), ...sources(join(ROOT, 'apps'))]) {
      const path = relative(ROOT, file).split('\\').join('/');
      if (ALLOWED[path] || path.includes('/testing/')) continue;
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (/^\s*(\/\*|\*|\/\/)/.test(line)) return; // comments may talk about it
          for (const rule of RULES)
            if (rule.pattern.test(line)) offences.push(`${path}:${i + 1} ${rule.says}: ${line.trim()}`);
        });
    }
    expect(offences).toEqual([]);
  });

  it('the check itself catches what it is for', () => {
    const caught = (line: string) => RULES.some((rule) => rule.pattern.test(line));
    expect(caught('const d = event.data as Record<string, any>;')).toBe(true);
    expect(caught('evolveCase(state, event as unknown as CaseEvent)')).toBe(true);
    expect(caught('fold(evolve, null, events as CaseEvent[])')).toBe(true);
    expect(caught('const caseId = event.streamId.slice(5);')).toBe(true);
    expect(caught('const id = `case-${caseId}`;')).toBe(true);
    expect(caught('const x = y as any;')).toBe(true);
    expect(caught('const kinds = SEVERITIES as unknown as string[];')).toBe(false);
    expect(caught("cause: 'case-submitted'")).toBe(false);
  });
});
