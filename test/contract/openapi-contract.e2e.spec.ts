import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startTestService, TEST_KEYS, TestService } from '../support/test-service';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');
const bin = (path: string) => join(ROOT, 'node_modules', path);
/** Redocly CLI offline: no telemetry, no update check. */
const REDOCLY_ENV = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', CI: 'true' };

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/**
 * The contract clients generate from: the document the service serves at /docs-json passes
 * `redocly lint` (redocly.yaml), and a client generated from it by openapi-typescript, written
 * against the generated types without a cast, compiles with `tsc --strict` and works against the
 * running service.
 */
describe('OpenAPI contract', () => {
  let service: TestService;
  let dir: string;
  let document: any;

  beforeAll(async () => {
    service = await startTestService();
    dir = mkdtempSync(join(tmpdir(), 'casetrail-contract-'));
    const response = await fetch(`${service.url}/docs-json`);
    expect(response.status).toBe(200);
    document = await response.json();
    writeFileSync(join(dir, 'openapi.json'), JSON.stringify(document, null, 2));
  });

  afterAll(async () => {
    await service?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const operations = () =>
    Object.entries<Record<string, any>>(document.paths).flatMap(([path, item]) =>
      METHODS.filter((m) => item[m]).map((method) => ({ path, method, op: item[method] })),
    );

  it('passes redocly lint with 0 errors', async () => {
    const lint = await run(
      process.execPath,
      [
        bin('@redocly/cli/bin/cli.js'),
        'lint',
        join(dir, 'openapi.json'),
        '--config',
        join(ROOT, 'redocly.yaml'),
        '--format',
        'json',
      ],
      { env: REDOCLY_ENV, cwd: ROOT, maxBuffer: 32 * 1024 * 1024 },
    ).catch((error: { stdout?: string; stderr?: string }) => ({
      stdout: error.stdout ?? '',
      stderr: error.stderr ?? '',
    }));
    const report = JSON.parse(lint.stdout.slice(lint.stdout.indexOf('{'))) as {
      totals: { errors: number; warnings: number };
      problems: Array<{ ruleId: string; severity: string; message: string; location: Array<{ pointer: string }> }>;
    };
    const shown = report.problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`);
    expect(shown).toEqual([]);
    expect(report.totals.errors).toBe(0);
    expect(report.totals.warnings).toBe(0);
  });

  it('is OpenAPI 3.1 and documents every operation: summary, path parameters, problem+json errors, responses', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(document.servers.length).toBeGreaterThan(0);
    const scheme = document.components.securitySchemes.bearer;
    expect(scheme).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(scheme.bearerFormat).toBeUndefined(); // keys are opaque, not JWTs
    expect(operations().length).toBeGreaterThanOrEqual(24);
    for (const { path, method, op } of operations()) {
      const where = `${method.toUpperCase()} ${path}`;
      expect([where, typeof op.summary]).toEqual([where, 'string']);
      const declared = (op.parameters ?? [])
        .filter((p: any) => p.in === 'path')
        .map((p: any) => p.name)
        .sort();
      const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect([where, declared]).toEqual([where, inPath]);
      const codes = Object.keys(op.responses);
      const problems = codes.filter((c) => /^4\d\d$/.test(c));
      expect([where, problems.length > 0]).toEqual([where, true]);
      for (const code of problems)
        expect([where, code, Object.keys(op.responses[code].content)]).toEqual([
          where,
          code,
          ['application/problem+json'],
        ]);
      const success = codes.find((c) => /^2\d\d$/.test(c))!;
      expect([where, Object.keys(op.responses[success].content ?? {}).length > 0]).toEqual([where, true]);
      // Only the health checks are public (the auth guard's @Public routes).
      expect([where, op.security.length === 0]).toEqual([where, /^\/health(\/|$)/.test(path)]);
    }
  });

  it('documents the headers and parameters the service reads, with the types it accepts', () => {
    const op = (method: string, path: string) => document.paths[path][method];
    const names = (o: any, where: string) =>
      (o.parameters ?? []).filter((p: any) => p.in === where).map((p: any) => p.name);
    expect(names(op('post', '/v1/cases/{id}/updates'), 'header')).toEqual(
      expect.arrayContaining(['If-Match', 'Idempotency-Key']),
    );
    expect(names(op('post', '/v1/cases'), 'header')).toContain('Idempotency-Key');
    expect(names(op('get', '/v1/cases'), 'query')).toContain('consistentWith');
    expect(names(op('get', '/v1/alerts'), 'query')).toContain('consistentWith');
    expect(names(op('get', '/v1/cases/{id}/state'), 'query')).toEqual(['asOf']);
    const customerId = document.components.schemas.SubmitCaseDto.properties.customerId;
    expect(customerId.type).toEqual(['string', 'null']);
    expect(op('post', '/v1/cases/{id}/updates').responses['201'].headers.ETag).toBeDefined();
  });

  it('generates a client that compiles with tsc --strict without casts and works against the service', async () => {
    await run(
      process.execPath,
      [bin('openapi-typescript/bin/cli.js'), join(dir, 'openapi.json'), '-o', join(dir, 'schema.ts')],
      {
        cwd: ROOT,
        env: { ...process.env, CI: 'true' },
      },
    );
    const source = readFileSync(join(__dirname, 'openapi-client.cts.txt'), 'utf8');
    // No cast, no `any`, no non-null assertion, no suppressed error: the generated types carry it.
    const code = source.replace(/\/\/.*$/gm, '');
    expect(code).not.toMatch(/\bas\s+[\w{[(]|<\w+>\s*\w|\bany\b|@ts-|\w[)\]]?!\.|\w!\s*[;,)]/);
    writeFileSync(join(dir, 'client.cts'), source);
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
    const tsc = [
      bin('typescript/bin/tsc'),
      '--strict',
      '--module',
      'node16',
      '--moduleResolution',
      'node16',
      '--target',
      'es2022',
      '--types',
      'node',
      '--skipLibCheck',
    ];
    const compiled = await run(process.execPath, [...tsc, '--outDir', join(dir, 'out'), join(dir, 'client.cts')], {
      cwd: dir,
    }).catch((error: { stdout?: string }) => ({ stdout: `tsc failed:\n${error.stdout}` }));
    expect(compiled.stdout).toBe('');

    const { stdout } = await run(process.execPath, [join(dir, 'out', 'client.cjs'), service.url, TEST_KEYS.support], {
      cwd: dir,
    });
    const seen = JSON.parse(stdout);
    expect(seen).toMatchObject({
      submitStatus: 201,
      customerId: null,
      updateStatus: 201,
      etag: `"${seen.afterRevision}"`,
      initialResponse: true,
      retriedStatus: 201,
      retriedRevision: seen.afterRevision,
      staleStatus: 412,
      staleProblemStatus: 412,
      listedRevision: seen.afterRevision,
      asOfRevision: seen.afterRevision,
    });
    expect(seen.afterRevision).toBeGreaterThan(seen.before);
    expect(seen.staleContentType).toMatch(/^application\/problem\+json/);
    expect(typeof seen.initialDue).toBe('string');
    // The retry wrote nothing: one UpdateSent in the stream.
    expect(seen.historyTypes.filter((t: string) => t === 'UpdateSent')).toHaveLength(1);
  });
});
