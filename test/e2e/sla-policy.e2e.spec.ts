import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SLA_POLICY, SlaPolicy } from '../../libs/domain/sla/policy';
import { policyFingerprint } from '../../libs/domain/sla/policy-fingerprint';
import { EventStore } from '../../libs/event-store/event-store';
import { Clock } from '../../libs/platform/clock/clock';
import { EVENT_STORE } from '../../libs/platform/tokens';
import { SLA_POLICY_STREAM } from '../../libs/sla/policy-registry';
import { caseBody, command, expectProblem, history, submitCase, totalEvents } from '../support/case-fixtures';
import { startTestService, TestService, withSearchPath } from '../support/test-service';
import { PgSqlClient } from '../../libs/event-store/sql/pg-sql-client';
import { testDatabaseUrl } from '../support/test-database';

/** Real time, moved to start at `start`: the service runs as it would that day. */
class ShiftedClock extends Clock {
  private readonly offset: number;
  constructor(start: string) {
    super();
    this.offset = Date.parse(start) - Date.now();
  }
  now(): Date {
    return new Date(Date.now() + this.offset);
  }
}

// Saturday 2026-11-14 12:00 in Paris (UTC+1): a B clock started at any time that weekend counts from
// Monday 09:00; 2 business hours (the default, "acme-1") end Monday 11:00 Paris, 3 hours ("acme-2") 12:00.
const SATURDAY = '2026-11-14T11:00:00.000Z';
const DUE_2H = '2026-11-16T10:00:00.000Z';
const DUE_3H = '2026-11-16T11:00:00.000Z';
const v1: SlaPolicy = { ...DEFAULT_SLA_POLICY, version: 'acme-1' };
const v2: SlaPolicy = {
  ...v1,
  version: 'acme-2',
  severities: { ...v1.severities, B: { ...v1.severities.B, initialResponse: 'PT3H' } },
};

const storeOf = (service: TestService) => service.service.app.get<symbol, EventStore>(EVENT_STORE, { strict: false });

describe('a case keeps the SLA policy it was submitted under (restart with a new policy)', () => {
  // One PostgreSQL schema that both runs of the service use, as a restarted deployment would.
  const schema = `ct_test_policy_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'casetrail-policy-'));
    writeFileSync(join(dir, 'v1.json'), JSON.stringify(v1));
    writeFileSync(join(dir, 'v2.json'), JSON.stringify(v2));
    const admin = new PgSqlClient(testDatabaseUrl(), { max: 1 });
    await admin.exec(`create schema ${schema}`);
    await admin.close();
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    const admin = new PgSqlClient(testDatabaseUrl(), { max: 1 });
    await admin.exec(`drop schema if exists ${schema} cascade`);
    await admin.close();
  });

  it('a case submitted under acme-1 gets its severity clock under acme-1 from a service now running acme-2', async () => {
    const env = (file: string) => ({
      EVENT_STORE: 'postgres',
      DATABASE_URL: withSearchPath(testDatabaseUrl(), schema),
      SLA_POLICY_FILE: join(dir, file),
    });
    let service = await startTestService({ env: env('v1.json'), clock: new ShiftedClock(SATURDAY) });
    let caseId: string;
    try {
      ({ caseId } = await submitCase(service));
      const submitted = (await history(service, caseId)).find((e) => e.type === 'CaseSubmitted')!;
      expect(submitted.data).toMatchObject({ policyVersion: 'acme-1', policyHash: policyFingerprint(v1) });
    } finally {
      await service.close();
    }

    service = await startTestService({ env: env('v2.json'), clock: new ShiftedClock(SATURDAY) });
    try {
      // A new case gets the policy in force...
      const fresh = await submitCase(service, { proposedSeverity: 'B' });
      const freshClock = (await history(service, fresh.caseId)).find(
        (e) => e.type === 'SlaClockStarted' && e.data.severity === 'B',
      )!;
      expect(freshClock.data).toMatchObject({
        policyVersion: 'acme-2',
        policyHash: policyFingerprint(v2),
        dueAt: DUE_3H,
      });

      // ...the older one keeps its own.
      await command(service, caseId, 'severity', { severity: 'B', reason: 'one site down' });
      const clocks = (await history(service, caseId)).filter((e) => e.type === 'SlaClockStarted');
      expect(clocks.length).toBeGreaterThan(0);
      for (const clock of clocks)
        expect(clock.data).toMatchObject({ policyVersion: 'acme-1', policyHash: policyFingerprint(v1) });
      expect(clocks.find((e) => e.data.severity === 'B')!.data.dueAt).toBe(DUE_2H);

      // Both policies are recorded, each once, with its hash.
      const recorded = await storeOf(service).readStream(SLA_POLICY_STREAM);
      expect(recorded.map((e) => [e.data.version, e.data.hash])).toEqual([
        ['acme-1', policyFingerprint(v1)],
        ['acme-2', policyFingerprint(v2)],
      ]);
    } finally {
      await service.close();
    }
  });
});

describe('holidays where the contact is (HTTP)', () => {
  let service: TestService;
  beforeAll(async () => {
    // Saturday 3 October 2026, 12:00 in Sydney (AEST, UTC+10; AEDT, UTC+11, from Sunday); Monday 5
    // October is NSW Labour Day. A B clock counts from the next opening: 2 business hours.
    service = await startTestService({ clock: new ShiftedClock('2026-10-03T02:00:00Z') });
  });
  afterAll(() => service.close());

  const contact = { name: 'Jo', email: 'jo@contoso.example', timeZone: 'Australia/Sydney', country: 'AU' };

  it('a contact without country is refused (400 naming contact.country) under a policy with public holidays, and nothing is written', async () => {
    const before = await totalEvents(service);
    const { country: _c, ...noCountry } = contact;
    const response = await service.request('POST', '/v1/cases', { body: caseBody({ contact: noCountry }) });
    expectProblem(response, 400, ['contact.country']);
    expect(response.body.detail).toMatch(/contact\.country is required/);
    expect(await totalEvents(service)).toBe(before);
  });

  it('an obviously foreign time zone is refused (400 naming contact.timeZone)', async () => {
    const response = await service.request('POST', '/v1/cases', {
      body: caseBody({ contact: { ...contact, country: 'FR' } }),
    });
    expectProblem(response, 400, ['contact.timeZone']);
  });

  it('an unknown region, or a region without country, is refused (400 naming contact.region)', async () => {
    expectProblem(
      await service.request('POST', '/v1/cases', { body: caseBody({ contact: { ...contact, region: 'BY' } }) }),
      400,
      ['contact.region'],
    );
    const { country: _c, ...noCountry } = contact;
    const response = await service.request('POST', '/v1/cases', {
      body: caseBody({ contact: { ...noCountry, timeZone: 'UTC', region: 'NSW' } }),
    });
    expect(response.status).toBe(400);
    expect(response.body.errors.map((e: { field: string }) => e.field)).toContain('contact.region');
  });

  it('a B case in Sydney with region NSW is not due on Labour Day; without the region it is', async () => {
    const nsw = await submitCase(service, { contact: { ...contact, region: 'NSW' }, proposedSeverity: 'B' });
    const national = await submitCase(service, { contact, proposedSeverity: 'B' });
    const dueOf = async (caseId: string) =>
      (await history(service, caseId)).find((e) => e.type === 'SlaClockStarted' && e.data.severity === 'B')!.data;
    expect(await dueOf(nsw.caseId)).toMatchObject({
      dueAt: '2026-10-06T00:00:00.000Z',
      location: { timeZone: 'Australia/Sydney', country: 'AU', region: 'NSW' },
    }); // Tuesday 11:00
    expect((await dueOf(national.caseId)).dueAt).toBe('2026-10-05T00:00:00.000Z'); // Monday 11:00
  });

  it('GET /v1/sla/preview takes region', async () => {
    const query = '/v1/sla/preview?severity=B&from=2026-10-02T16:30:00%2B10:00&timeZone=Australia/Sydney&country=AU';
    const withRegion = await service.request('GET', `${query}&region=NSW`);
    expect(withRegion.status).toBe(200);
    expect(withRegion.body.initialResponse.dueAt).toBe('2026-10-05T23:30:00.000Z');
    expect(withRegion.body.policyHash).toBe(policyFingerprint(DEFAULT_SLA_POLICY));
    expect((await service.request('GET', query)).body.initialResponse.dueAt).toBe('2026-10-04T23:30:00.000Z');
    expectProblem(await service.request('GET', `${query}&region=XX`), 400, ['region']);
    expectProblem(
      await service.request(
        'GET',
        '/v1/sla/preview?severity=B&from=2026-10-02T16:30:00%2B10:00&timeZone=Australia/Sydney&country=FR',
      ),
      400,
      ['timeZone'],
    );
  });
});

describe('stores written before policies were pinned', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService({ clock: new ShiftedClock(SATURDAY) });
  });
  afterAll(() => service.close());

  it('a case whose events carry no policy hash stays readable, its clocks keep working, and no stored event is rewritten', async () => {
    const caseId = randomUUID();
    const at = '2026-11-13T15:00:00.000Z';
    const location = { timeZone: 'Europe/Paris', country: 'FR' };
    const { contact, attachments, ...rest } = caseBody();
    const legacy = [
      {
        type: 'CaseSubmitted',
        data: {
          ...rest,
          contact,
          attachments,
          caseId,
          reference: 'SR-LEGACY-1',
          submittedBy: 'support-1',
          customerId: null,
          azure: null,
          proposedSeverity: null,
          at,
        },
      },
      {
        type: 'SeverityAssigned',
        data: { caseId, severity: 'C', previousSeverity: null, reason: 'triage', by: 'support-1', at },
      },
      {
        type: 'SlaClockStarted',
        data: {
          caseId,
          clock: 'initialResponse',
          clockId: 'initialResponse-1',
          severity: 'C',
          startedAt: at,
          dueAt: '2026-11-16T10:30:00.000Z',
          warnAt: '2026-11-16T09:30:00.000Z',
          escalateAt: '2026-11-16T11:30:00.000Z',
          policyVersion: 'default-2026-11',
          calendar: 'business',
          location,
          cause: 'severity-assigned',
          replacesClockId: null,
          at,
        },
      },
    ];
    await storeOf(service).append(
      `case-${caseId}`,
      legacy.map((e) => ({
        id: randomUUID(),
        type: e.type,
        data: e.data,
        metadata: { actor: 'support-1', occurredAt: at, correlationId: caseId, causationId: null },
      })),
      'no_stream',
    );

    const read = await service.request('GET', `/v1/cases/${caseId}`);
    expect(read.status).toBe(200);
    expect(read.body.sla.initialResponse).toMatchObject({
      clockId: 'initialResponse-1',
      policyVersion: 'default-2026-11',
      dueAt: '2026-11-16T10:30:00.000Z',
    });

    await command(service, caseId, 'severity', { severity: 'B', reason: 'worse than thought' });
    const after = await history(service, caseId);
    // The stored events are as written.
    expect(after.slice(0, 3).map((e) => ({ type: e.type, data: e.data }))).toEqual(legacy);
    // The restarted clock is counted under that version (recorded now as the built-in policy).
    const restarted = after.filter((e) => e.type === 'SlaClockStarted' && e.data.severity === 'B');
    expect(restarted).toHaveLength(1);
    expect(restarted[0].data).toMatchObject({
      policyVersion: 'default-2026-11',
      policyHash: policyFingerprint(DEFAULT_SLA_POLICY),
      startedAt: at,
      replacesClockId: 'initialResponse-1',
    });
    // Friday 16:00 + 2 business hours: 1 h on Friday, then Monday 10:00 Paris.
    expect(restarted[0].data.dueAt).toBe('2026-11-16T09:00:00.000Z');
  });
});
