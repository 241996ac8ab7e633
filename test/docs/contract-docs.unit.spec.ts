import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CASE_EVENT_TYPES } from '../../libs/domain/case/case.events';
import { ENGINEER_EVENT_TYPES } from '../../libs/domain/engineer/engineer.events';
import { DUTY_MANAGER_EVENT_TYPES } from '../../libs/domain/duty-manager/duty-manager.events';
import { PARTNER_EVENT_TYPES } from '../../libs/domain/partner/partner.events';
import { ALERT_KINDS } from '../../libs/projections/read-models/alerts.projection';
import { SLA_POLICY_RECORDED } from '../../libs/sla/policy-registry';
import { SLA_POLICY_DEFAULTS } from '../../libs/domain/sla/policy';

/**
 * docs/api.md is the contract the project keeps true (issue 15). These checks read the code's own
 * lists (routes from the controllers' decorators, event types, environment variables, CLI
 * commands) and fail naming what the document does not mention, so a new route, event, variable
 * or command cannot land undocumented.
 */
const ROOT = join(__dirname, '..', '..');
const apiDoc = readFileSync(join(ROOT, 'docs', 'api.md'), 'utf8');
const domainDoc = readFileSync(join(ROOT, 'docs', 'domain.md'), 'utf8');
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

function files(dir: string, suffix: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path, suffix);
    return path.endsWith(suffix) ? [path] : [];
  });
}

/** `METHOD /path` of every route, read from @Controller/@Get/@Post/@Put/@Patch/@Delete/@Sse decorators. */
function routesOf(source: string): string[] {
  const prefix = /@Controller\(\s*(?:'([^']*)')?\s*\)/.exec(source)?.[1] ?? '';
  const routes: string[] = [];
  for (const [, decorator, path = ''] of source.matchAll(/@(Get|Post|Put|Patch|Delete|Sse)\(\s*(?:'([^']*)')?\s*\)/g)) {
    const method = decorator === 'Sse' ? 'GET' : decorator.toUpperCase();
    const full = '/' + [prefix, path].filter(Boolean).join('/');
    routes.push(`${method} ${full.replace(/:(\w+)/g, '{$1}')}`);
  }
  return routes;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Mentioned as code: `TEXT` or `TEXT?query`, `TEXT …` (not as the prefix of a longer path). */
const mentions = (doc: string, text: string) => new RegExp('`' + escape(text) + '(?![\\w/{}-])').test(doc);

describe('docs/api.md covers the code', () => {
  const controllers = files(join(ROOT, 'libs'), '.controller.ts');

  it('finds the controllers it checks (a guard against a silently empty check)', () => {
    expect(controllers.length).toBeGreaterThanOrEqual(8);
    // A mention is the whole path, not the prefix of a longer one.
    expect(mentions('`GET /v1/cases/{id}/history`', 'GET /v1/cases/{id}')).toBe(false);
    expect(mentions('`GET /v1/cases?status=open`', 'GET /v1/cases')).toBe(true);
    expect(mentions(apiDoc, 'POST /v1/cases/{id}/nothing')).toBe(false);
  });

  it('documents every route', () => {
    const routes = controllers.flatMap((file) => routesOf(readFileSync(file, 'utf8')));
    expect(routes).toEqual(
      expect.arrayContaining(['POST /v1/cases', 'GET /v1/cases/{id}/state', 'GET /health', 'GET /v1/alerts/stream']),
    );
    expect(routes.filter((route) => !mentions(apiDoc, route))).toEqual([]);
  });

  it('documents every event type and every alert kind', () => {
    const types = [
      ...CASE_EVENT_TYPES,
      ...ENGINEER_EVENT_TYPES,
      ...DUTY_MANAGER_EVENT_TYPES,
      ...PARTNER_EVENT_TYPES,
      SLA_POLICY_RECORDED,
      'CaseReferenceReserved',
    ];
    expect(types.filter((type) => !mentions(apiDoc, type))).toEqual([]);
    expect(ALERT_KINDS.filter((kind) => !mentions(apiDoc, kind))).toEqual([]);
  });

  it('documents every environment variable the configuration reads, in api.md and in the README', () => {
    const source = readFileSync(join(ROOT, 'libs', 'platform', 'config', 'app-config.ts'), 'utf8');
    const variables = [...source.matchAll(/text\('([A-Z_]+)'\)/g)].map(([, name]) => name);
    expect(variables).toEqual(expect.arrayContaining(['PORT', 'EVENT_STORE', 'RATE_LIMIT_PER_SECOND']));
    expect(variables.filter((name) => !mentions(apiDoc, name))).toEqual([]);
    expect(variables.filter((name) => !mentions(readme, name))).toEqual([]);
  });

  it('documents every command of the CLI', () => {
    const main = readFileSync(join(ROOT, 'apps', 'cli', 'main.ts'), 'utf8');
    // The commands are the cases of main()'s switch.
    const source = main.slice(main.indexOf('async function main('), main.indexOf('function config('));
    const commands = [...source.matchAll(/case '([a-z][a-z-]*)':/g)].map(([, name]) => name);
    expect(commands).toEqual(expect.arrayContaining(['verify', 'export', 'rebuild', 'preview', 'keygen']));
    const cli = apiDoc.slice(apiDoc.indexOf('## Command line'));
    expect(commands.filter((command) => !new RegExp('`' + command + '\\b').test(cli))).toEqual([]);
  });

  it("states the policy file's optional fields with their defaults", () => {
    for (const [field, value] of Object.entries(SLA_POLICY_DEFAULTS)) {
      expect(apiDoc).toContain(`"${field}": "${value}"`);
      expect(apiDoc).toMatch(new RegExp('\\| `' + field + '` \\| optional \\(`' + value + '`\\)'));
    }
  });

  it('is linked from the README, with domain.md', () => {
    expect(readme).toContain('](docs/api.md)');
    expect(readme).toContain('](docs/domain.md)');
    expect(domainDoc).toContain('](api.md');
  });
});
