/**
 * Suite 5: reads of the case list (GET /v1/cases, the `rm_cases` read model) on the dataset that
 * suite 3 rebuilt: N events = N/10 open cases (1M events: 100k open cases). The real service runs
 * in-process with `--role api` (HTTP only: no projection or timer work competes with the reads),
 * one client, each query repeated; p50/p99 per query. Skipped, with the reason, if the route
 * answers 404 (the read model did not exist when this benchmark was written).
 */
import { request, runLoad } from '../support/http-load';
import { log, Metric } from '../support/metrics';
import { adminQuery, benchDatabaseUrl, withSearchPath } from '../support/pg';
import { deleteKeysPrefixed } from '../support/redis';
import { bearer, benchDataDir, startBenchService } from '../support/service';
import { sizeLabel, summarize } from '../support/stats';
import { redisPrefix, SuiteTask } from '../support/suite';

const SUITE = '5. Case list reads (GET /v1/cases)';

export async function caseListSuite(task: SuiteTask): Promise<Metric[]> {
  const size = task.sizes[0];
  const at = sizeLabel(size);
  const scope = `case-list ${at}`;
  const schema = task.params.schema as string;
  const data = benchDataDir();
  const prefix = redisPrefix(task, 'list', at);
  const service = await startBenchService({
    EVENT_STORE: 'postgres',
    DATABASE_URL: withSearchPath(benchDatabaseUrl(), schema),
    DATA_DIR: data.dir,
    API_KEYS_FILE: data.apiKeysFile,
    REDIS_PREFIX: prefix,
    ROLE: 'api',
  });
  const auth = bearer('support');
  const label = (q: string) => `GET /v1/cases?${q}`;
  try {
    const probe = await request(service.url, auth, 'GET', '/v1/cases?limit=1');
    if (probe.status === 404) {
      const reason = 'GET /v1/cases answered 404: the case list read model (rm_cases) is not there yet; suite skipped';
      log(scope, reason);
      return [
        { suite: SUITE, key: 'list.skipped', label: 'Case list', unit: 'ms', size: at, value: null, note: reason },
      ];
    }
    if (probe.status !== 200) throw new Error(`GET /v1/cases answered ${probe.status}: ${JSON.stringify(probe.body)}`);
    const [{ open }] = await adminQuery<{ open: string }>(
      `select count(*)::text as open from ${schema}.rm_cases where status = 'open'`,
    );
    log(scope, `${Number(open).toLocaleString('en-US')} open cases in rm_cases`);

    // Page 5 of the commonest filter, through the cursors the service hands out.
    let cursor: string | null = null;
    for (let page = 1; page < 5; page++) {
      const r = await request(
        service.url,
        auth,
        'GET',
        `/v1/cases?status=open&severity=B&limit=50${cursor ? `&cursor=${cursor}` : ''}`,
      );
      cursor = r.body?.nextCursor ?? null;
      if (!cursor) break;
    }
    const queries: Array<[string, string]> = [
      ['list.open.a', 'status=open&severity=A&limit=50'],
      ['list.open', 'status=open&limit=50'],
      ['list.engineer', 'engineerId=e-001&status=open&limit=50'],
      ['list.partner', 'partnerId=p-0003&limit=50'],
      ['list.partner.sev', 'partnerId=p-0003&severity=C&status=open&limit=50'],
      ['list.product.sev', 'product=intune&severity=C&limit=50'],
      ['list.sla', 'sla=breached&limit=50'],
      ['list.page5', `status=open&severity=B&limit=50${cursor ? `&cursor=${cursor}` : ''}`],
    ];
    const count = task.quick ? 40 : 300;
    const metrics: Metric[] = [];
    let worst = { key: '', p99: 0, query: '' };
    for (const [key, query] of queries) {
      const first = await request(service.url, auth, 'GET', `/v1/cases?${query}`);
      if (first.status !== 200)
        throw new Error(`${label(query)} answered ${first.status}: ${JSON.stringify(first.body)}`);
      const items = (first.body.items as unknown[]).length;
      const result = await runLoad({
        baseUrl: service.url,
        authorization: auth,
        clients: 1,
        warmupMs: 0,
        count,
        targets: [{ method: 'GET', path: `/v1/cases?${query}` }],
      });
      const s = summarize(result.latencies);
      const failed = result.requests - (result.statuses['200'] ?? 0);
      log(
        scope,
        `${label(query)}: ${items} items, p50 ${s.p50.toFixed(2)} ms, p99 ${s.p99.toFixed(2)} ms${failed ? `, ${failed} failed` : ''}`,
      );
      if (s.p99 > worst.p99) worst = { key, p99: s.p99, query };
      metrics.push({
        suite: SUITE,
        key: `${key}.p99`,
        label: `${label(query).replace(/&cursor=[^&]+/, '&cursor=<page 5>')}: p99`,
        unit: 'ms',
        size: at,
        value: s.p99,
        note: `Case list: N events = N/10 open cases (1M events = 100k open cases), read models rebuilt by suite 3 then ANALYZEd; the service in-process with --role api, 1 client, ${count} requests per query.`,
      });
      metrics.push({
        suite: SUITE,
        key: `${key}.p50`,
        label: `${label(query).replace(/&cursor=[^&]+/, '&cursor=<page 5>')}: p50`,
        unit: 'ms',
        size: at,
        value: s.p50,
      });
    }
    await explainWorst(schema, worst.query, scope);
    return metrics;
  } finally {
    await service.close();
    await deleteKeysPrefixed(prefix);
    data.remove();
  }
}

/** Logs the plan of the slowest query's SQL (as case-list.query.ts builds it), to explain a tail. */
async function explainWorst(schema: string, query: string, scope: string): Promise<void> {
  const params = new URLSearchParams(query);
  const where: string[] = [];
  const values: unknown[] = [];
  for (const [name, column] of [
    ['status', 'status'],
    ['severity', 'severity'],
    ['engineerId', 'engineer_id'],
    ['partnerId', 'partner_id'],
    ['product', 'product'],
    ['sla', 'sla'],
  ]) {
    const value = params.get(name);
    if (value) {
      values.push(value);
      where.push(`${column} = $${values.length}`);
    }
  }
  if (params.get('cursor')) return;
  const plan = await adminQuery<{ 'QUERY PLAN': string }>(
    `explain (analyze, buffers) select case_id, state->>'summary' from ${schema}.rm_cases ${where.length ? `where ${where.join(' and ')}` : ''} order by submitted_at desc, case_id desc limit 51`,
    values,
  ).catch(() => []);
  log(scope, `plan of the slowest (${query}):\n${plan.map((r) => `    ${r['QUERY PLAN']}`).join('\n')}`);
}
