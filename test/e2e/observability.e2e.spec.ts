import { JsonLogger } from '../../libs/platform/logging/json-logger';
import { ProjectionRunner } from '../../libs/projections/projection-runner';
import { engineerWithManager } from '../support/case-fixtures';
import { secondsPolicyFile, submission, waitUntil } from '../support/case-requests';
import { promtoolCheck, sample } from '../support/metrics-text';
import { startTestService, TEST_KEYS, TestService } from '../support/test-service';

type Line = Record<string, any>;

/**
 * What an operator sees: the service's own JSON log lines (collected from its logger, at debug
 * level) and GET /metrics, over real HTTP, with timers on real Redis and a policy in seconds.
 */
describe('observability: access and domain log lines, Prometheus metrics', () => {
  let service: TestService;
  const raw: string[] = [];
  const lines = (): Line[] => raw.map((l) => JSON.parse(l));
  const metrics = async () => {
    const response = await fetch(`${service.url}/metrics`, { headers: { authorization: `Bearer ${TEST_KEYS.ops}` } });
    expect(response.status).toBe(200);
    return response.text();
  };

  beforeAll(async () => {
    const policyFile = secondsPolicyFile('obs-seconds');
    service = await startTestService({
      env: { SLA_POLICY_FILE: policyFile },
      logger: new JsonLogger('debug', (line) => raw.push(line)),
    });
  });
  afterAll(() => service.close());

  it('a breach writes exactly one domain line and adds one to casetrail_sla_alerts_total; timer runs are logged and counted', async () => {
    const before = await metrics();
    const { engineerId } = await engineerWithManager(service, 'obs1');
    const submitted = await service.request('POST', '/v1/cases', { body: submission() });
    expect(submitted.status).toBe(201);
    const caseId = submitted.body.caseId as string;
    expect((await service.request('POST', `/v1/cases/${caseId}/assignment`, { body: { engineerId } })).status).toBe(
      200,
    );

    const ofCase = (msg: string) => lines().filter((l) => l.msg === msg && l.caseId === caseId);
    // The escalation follows the breach by 2 s: by then a repeated breach line would be there.
    await waitUntil(
      async () => ofCase('case escalated to the manager').length,
      (n) => n > 0,
      25_000,
    );
    const breaches = ofCase('SLA breached');
    expect(breaches).toHaveLength(1);
    expect(breaches[0]).toMatchObject({
      level: 'warn',
      context: 'Sla',
      domain: 'sla',
      kind: 'breach',
      eventType: 'SlaBreached',
      severity: 'A',
      clock: 'initialResponse',
    });
    expect(breaches[0].alertId).toEqual(expect.any(String));
    expect(Date.parse(breaches[0].time)).not.toBeNaN();
    expect(ofCase('SLA warning')).toHaveLength(1);
    expect(ofCase('case escalated to the manager')).toHaveLength(1);

    const after = await metrics();
    const breachCount = (text: string) => sample(text, 'casetrail_sla_alerts_total', { kind: 'breach', severity: 'A' });
    expect(breachCount(after) - breachCount(before)).toBe(1);
    expect(
      sample(after, 'casetrail_sla_alerts_total', { kind: 'escalation' }) -
        sample(before, 'casetrail_sla_alerts_total', { kind: 'escalation' }),
    ).toBe(1);
    // Timer-driven commands are in the command metrics, and each timer run is a line and a count.
    expect(
      sample(after, 'casetrail_command_duration_seconds_count', { command: 'RecordSlaBreach', outcome: 'ok' }),
    ).toBeGreaterThanOrEqual(1);
    expect(sample(after, 'casetrail_sla_timer_actions_total', { action: 'breach', outcome: 'recorded' })).toBe(1);
    expect(sample(after, 'casetrail_sla_timer_lateness_seconds_count', { action: 'breach' })).toBeGreaterThanOrEqual(1);
    const timerLines = lines().filter(
      (l) => l.msg === 'SLA timer action' && l.caseId === caseId && l.action === 'breach',
    );
    expect(timerLines.length).toBeGreaterThanOrEqual(1);
    expect(timerLines.filter((l) => l.recorded.includes('SlaBreached'))).toHaveLength(1);
    expect(timerLines[0].latenessSeconds).toEqual(expect.any(Number));

    // The projections start again from their checkpoint (as after a restart): nothing is logged twice.
    const runner = service.service.app.get(ProjectionRunner);
    await runner.stop();
    (runner as unknown as { stopped: boolean }).stopped = false;
    await runner.start();
    const other = await service.request('POST', '/v1/cases', { body: submission() });
    expect(other.status).toBe(201);
    await waitUntil(
      async () => lines().filter((l) => l.msg === 'SLA warning' && l.caseId === other.body.caseId).length,
      (n) => n > 0,
      25_000,
    );
    expect(ofCase('SLA breached')).toHaveLength(1);
    expect(ofCase('SLA warning')).toHaveLength(1);
  }, 60_000);

  it('one access line per request with method, route, status, latency, key name, request and correlation ids; X-Request-Id echoed', async () => {
    const submitted = await service.request('POST', '/v1/cases', { body: submission() });
    const caseId = submitted.body.caseId as string;
    const read = await service.request('GET', `/v1/cases/${caseId}?x=1`, {
      headers: { 'x-request-id': 'obs-req-1', 'x-correlation-id': 'obs-corr-1' },
    });
    expect(read.status).toBe(200);
    expect(read.headers.get('x-request-id')).toBe('obs-req-1');
    const access = await waitUntil(
      async () => lines().filter((l) => l.msg === 'request' && l.requestId === 'obs-req-1'),
      (found) => found.length > 0,
    );
    expect(access).toHaveLength(1);
    expect(access[0]).toMatchObject({
      level: 'info',
      context: 'Http',
      method: 'GET',
      route: '/v1/cases/:id',
      path: `/v1/cases/${caseId}`,
      status: 200,
      keyName: 'support-1',
      correlationId: 'obs-corr-1',
    });
    expect(access[0].latencyMs).toBeGreaterThan(0);

    // Without one (or with one the service refuses), a new id is made, answered and logged.
    const plain = await service.request('GET', '/v1/cases/00000000-0000-4000-8000-000000000000', { key: null });
    expect(plain.status).toBe(401);
    const generated = plain.headers.get('x-request-id')!;
    expect(generated).toMatch(/^[0-9a-f-]{36}$/);
    const refusedLine = await waitUntil(
      async () => lines().find((l) => l.msg === 'request' && l.requestId === generated),
      Boolean,
    );
    expect(refusedLine).toMatchObject({ status: 401, keyName: null, correlationId: generated, route: '/v1/cases/:id' });
  });

  it('a refused command writes one domain line naming the command, the reason and the correlation id', async () => {
    const submitted = await service.request('POST', '/v1/cases', { body: submission() });
    const caseId = submitted.body.caseId as string;
    const refused = await service.request('POST', `/v1/cases/${caseId}/assignment`, {
      body: { engineerId: 'e-nobody-here' },
      headers: { 'x-correlation-id': 'obs-refused-1' },
    });
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(refused.status).toBeLessThan(500);
    const found = await waitUntil(
      async () => lines().filter((l) => l.msg === 'command refused' && l.correlationId === 'obs-refused-1'),
      (f) => f.length > 0,
    );
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      domain: 'command',
      status: refused.status,
      keyName: 'support-1',
      streamId: expect.stringContaining(caseId),
    });
    expect(found[0].command).toEqual(expect.any(String));
    expect(
      sample(await metrics(), 'casetrail_command_duration_seconds_count', {
        command: found[0].command,
        outcome: 'refused',
      }),
    ).toBeGreaterThanOrEqual(1);

    // A submission refused before its reference is reserved (a new case has no revision 3).
    const stale = await service.request('POST', '/v1/cases', {
      body: submission(),
      headers: { 'if-match': '"3"', 'x-correlation-id': 'obs-refused-2' },
    });
    expect(stale.status).toBe(412);
    const submitLine = await waitUntil(
      async () => lines().filter((l) => l.msg === 'command refused' && l.correlationId === 'obs-refused-2'),
      (f) => f.length > 0,
    );
    expect(submitLine).toHaveLength(1);
    expect(submitLine[0]).toMatchObject({ command: 'SubmitCase', status: 412 });
  });

  it('no log line carries the contact name, e-mail or phone', async () => {
    const contact = {
      name: 'Obs Private-Person',
      email: 'obs.private@contoso.example',
      phone: '+33 6 11 22 33 44',
      timeZone: 'Europe/Paris',
      country: 'FR',
    };
    const submitted = await service.request('POST', '/v1/cases', { body: submission({ contact }) });
    expect(submitted.status).toBe(201);
    await waitUntil(
      async () => lines().some((l) => l.msg === 'request' && l.route === '/v1/cases' && l.status === 201),
      Boolean,
    );
    expect(raw.length).toBeGreaterThan(0);
    for (const secret of [contact.name, contact.email, contact.phone, 'jo@contoso.example', 'Jo Contoso']) {
      expect(raw.filter((line) => line.includes(secret))).toEqual([]);
    }
  });

  it('casetrail_sse_connections counts open alert streams, up when one opens and down when it closes', async () => {
    const open = async () => sample(await metrics(), 'casetrail_sse_connections');
    const before = await open();
    const abort = new AbortController();
    const stream = await fetch(`${service.url}/v1/alerts/stream`, {
      headers: { authorization: `Bearer ${TEST_KEYS.ops}` },
      signal: abort.signal,
    });
    expect(stream.status).toBe(200);
    await waitUntil(open, (n) => n === before + 1);
    abort.abort();
    await waitUntil(open, (n) => n === before);
  });

  it('GET /metrics has process, event loop, GC and HTTP metrics by route and status, and passes promtool', async () => {
    await service.request('GET', '/v1/cases');
    const text = await metrics();
    expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds \d/m);
    expect(text).toMatch(/^# TYPE nodejs_gc_duration_seconds histogram/m);
    expect(text).toMatch(
      /^casetrail_http_request_duration_seconds_count\{method="GET",route="\/v1\/cases",status="200"\} [1-9]/m,
    );
    expect(text).toMatch(
      /^casetrail_http_request_duration_seconds_bucket\{le="[\d.]+",method="POST",route="\/v1\/cases",status="201"\} \d/m,
    );
    expect(text).toMatch(/^# TYPE casetrail_sla_alerts_total counter/m);
    expect(text).toMatch(/^# TYPE casetrail_sse_connections gauge/m);
    expect(text).toMatch(/^casetrail_projection_lag_seconds\{projection="alerts"\} [\d.]+/m);
    const check = promtoolCheck(text);
    if (!check) {
      console.warn('promtool is not installed here (Debian package "prometheus"): `promtool check metrics` skipped');
      return;
    }
    expect(check).toEqual({ code: 0, output: '' });
  });
});
