import { DEFAULT_SLA_POLICY } from '../../libs/domain/sla/policy';
import { FixedClock } from '../../libs/platform/clock/clock';
import { command, expectProblem, submitCase, totalEvents } from '../support/case-fixtures';
import { startTestService, TestService } from '../support/test-service';

const T0 = '2026-11-24T10:00:00.000Z';
const policy = (initialResponseA: string) => {
  const p = JSON.parse(JSON.stringify(DEFAULT_SLA_POLICY));
  p.version = `proposed-${initialResponseA}`;
  p.severities.A.initialResponse = initialResponseA;
  return p;
};

/** POST /v1/sla/what-if and GET /v1/reports/sla over cases made through the API. */
describe('what-if and SLA compliance report over HTTP', () => {
  let service: TestService;
  const clock = new FixedClock(new Date(T0));
  let contosoCase: string;
  let northwindCase: string;
  let position: string;

  beforeAll(async () => {
    service = await startTestService({ clock });
    // Severity A (24x7, 1 h to respond under the policy in force): answered after 50 minutes.
    contosoCase = (await submitCase(service, { proposedSeverity: 'A' })).caseId;
    northwindCase = (await submitCase(service, { partnerId: 'p-northwind', proposedSeverity: 'A' })).caseId;
    clock.advance(50 * 60_000);
    await command(service, contosoCase, 'updates', { channel: 'email', summary: 'on it' });
    clock.advance(30 * 60_000); // 80 min: the northwind case was never answered
    const resolved = await command(service, northwindCase, 'resolution', { summary: 'fixed' });
    position = resolved.body.position;
  });
  afterAll(() => service.close());

  it('a tighter policy names the case it would have breached, with both due instants; writes nothing', async () => {
    const before = await totalEvents(service, { exceptActor: 'system' });
    const response = await service.request('POST', '/v1/sla/what-if', {
      key: 'manager',
      body: { policy: policy('PT30M'), from: '2026-11-24T00:00:00Z' },
    });
    expect(response.status).toBe(200);
    expect(response.body.changes).toEqual([
      expect.objectContaining({
        caseId: contosoCase,
        clockId: 'initialResponse-1',
        change: 'newly-breached',
        current: { severity: 'A', dueAt: '2026-11-24T11:00:00.000Z', outcome: 'met' },
        proposed: { severity: 'A', dueAt: '2026-11-24T10:30:00.000Z', outcome: 'breached' },
      }),
    ]);
    expect(await totalEvents(service, { exceptActor: 'system' })).toBe(before);
    // Under the policy in force itself: exactly the recorded breach (the northwind case's).
    const same = await service.request('POST', '/v1/sla/what-if', {
      key: 'manager',
      body: { policy: DEFAULT_SLA_POLICY },
    });
    // First, so that a failure names the disagreeing clock (seen once under load, not reproduced since).
    expect(same.body.agreement.mismatches).toEqual([]);
    expect(same.body.agreement).toMatchObject({
      casesCompared: 2,
      recordedBreaches: 1,
      replayedBreaches: 1,
      mismatchCount: 0,
    });
    expect(same.body.changes).toEqual([]);
  });

  it('a looser policy clears the breach of the case never answered in time', async () => {
    const response = await service.request('POST', '/v1/sla/what-if', {
      key: 'auditor',
      body: { policy: policy('PT2H'), partnerId: 'p-northwind' },
    });
    expect(response.status).toBe(200);
    expect(response.body.cases).toBe(1);
    expect(response.body.changes.map((c: any) => [c.caseId, c.change])).toEqual([
      [northwindCase, 'no-longer-breached'],
    ]);
  });

  it('refuses an invalid policy naming every problem, and other roles', async () => {
    const bad = { ...policy('PT1H'), warnAt: 3, severities: { A: { calendar: 'weekly' } } };
    const response = await service.request('POST', '/v1/sla/what-if', { key: 'manager', body: { policy: bad } });
    expectProblem(response, 400, [
      'policy.warnAt',
      'policy.severities.A.calendar',
      'policy.severities.A.initialResponse',
      'policy.severities.A.update',
      'policy.severities.B',
      'policy.severities.C',
    ]);
    expectProblem(
      await service.request('POST', '/v1/sla/what-if', { key: 'support', body: { policy: policy('PT1H') } }),
      403,
    );
    expectProblem(
      await service.request('POST', '/v1/sla/what-if', { key: 'partner', body: { policy: policy('PT1H') } }),
      403,
    );
    expectProblem(await service.request('POST', '/v1/sla/what-if', { key: 'manager', body: { policy: 'nope' } }), 400, [
      'policy',
    ]);
  });

  it('the people who run the desk read the whole report: support, manager, auditor, ops, admin', async () => {
    for (const key of ['support', 'manager', 'auditor', 'ops', 'admin'] as const) {
      const response = await service.request('GET', `/v1/reports/sla?consistentWith=${position}`, { key });
      expect([key, response.status]).toEqual([key, 200]);
      expect([key, response.body.partnerId, response.body.totals.cases]).toEqual([key, null, 2]);
    }
    // A partner key still gets only its own cases, whatever it asks.
    const own = await service.request('GET', `/v1/reports/sla?consistentWith=${position}`, { key: 'otherPartner' });
    expect(own.body).toMatchObject({ partnerId: 'p-northwind', totals: { cases: 1, met: 0, breached: 1 } });
  });

  it('reports compliance per partner in JSON and CSV; a partner sees only its own cases', async () => {
    const url = `/v1/reports/sla?groupBy=partner&consistentWith=${position}`;
    const json = await service.request('GET', url, { key: 'manager' });
    expect(json.status).toBe(200);
    expect(json.body.totals).toMatchObject({ cases: 2, met: 1, breached: 1 });
    expect(json.body.groups.map((g: any) => [g.group, g.met, g.breached])).toEqual([
      ['p-contoso', 1, 0],
      ['p-northwind', 0, 1],
    ]);
    // 50 minutes, to the resolution of the report's duration buckets (within 2.2%).
    const { median, p90 } = json.body.totals.firstResponseMs;
    expect(median).toBe(p90);
    expect(Math.abs(median - 50 * 60_000)).toBeLessThanOrEqual(50 * 60_000 * 0.022);

    const csv = await service.request('GET', url, { key: 'manager', headers: { accept: 'text/csv' } });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const text = typeof csv.body === 'string' ? csv.body : String(csv.body);
    const lines = text.trim().split('\r\n');
    expect(lines[0]).toMatch(/^group,cases,clocks,met,breached,/);
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 1)[0])).toEqual(['p-contoso', 'p-northwind', 'all']);

    const own = await service.request('GET', `/v1/reports/sla?consistentWith=${position}`, { key: 'partner' });
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ partnerId: 'p-contoso', totals: { cases: 1, met: 1, breached: 0 } });
    expectProblem(await service.request('GET', '/v1/reports/sla?partnerId=p-northwind', { key: 'partner' }), 403);
    expectProblem(
      await service.request('GET', '/v1/reports/sla?groupBy=colour&from=yesterday', { key: 'manager' }),
      400,
      ['groupBy', 'from'],
    );
  });
});

describe('what-if over HTTP is bounded', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService({ env: { WHAT_IF_HTTP_TIMEOUT_MS: '1' } });
    for (let i = 0; i < 3; i++) await submitCase(service, { proposedSeverity: 'B' });
  });
  afterAll(() => service.close());

  it('past WHAT_IF_HTTP_TIMEOUT_MS it answers 503 pointing to the CLI, and writes nothing', async () => {
    const before = await totalEvents(service, { exceptActor: 'system' });
    const response = await service.request('POST', '/v1/sla/what-if', {
      key: 'manager',
      body: { policy: policy('PT30M') },
    });
    expectProblem(response, 503);
    expect(response.body.detail).toMatch(/npm run cli -- what-if/);
    expect(await totalEvents(service, { exceptActor: 'system' })).toBe(before);
    expect((await service.request('GET', '/health/live')).status).toBe(200);
  });
});
