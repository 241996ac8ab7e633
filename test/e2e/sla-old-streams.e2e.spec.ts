import { randomUUID } from 'node:crypto';
import type { EventStore, NewEvent } from '../../libs/event-store/event-store';
import { EVENT_STORE } from '../../libs/platform/tokens';
import { caseBody, history } from '../support/case-fixtures';
import { waitUntil } from '../support/case-requests';
import { startTestService, TestService } from '../support/test-service';

/**
 * Streams written before clocks started at submission (issue 19): a case without a clock until
 * staff set a severity, a proposal recorded as the severity. They are read as they are (no event
 * is rewritten) and keep working under the new rules.
 */
describe('stores written before clocks from submission', () => {
  let service: TestService;
  let store: EventStore;
  beforeAll(async () => {
    service = await startTestService();
    store = service.service.app.get<symbol, EventStore>(EVENT_STORE, { strict: false });
  });
  afterAll(() => service.close());

  const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
  const event = (type: string, data: Record<string, unknown>, at: string): NewEvent => ({
    id: randomUUID(),
    type,
    data: { ...data, at },
    metadata: { actor: 'support-1', occurredAt: at, correlationId: randomUUID(), causationId: null },
  });
  const submitted = (caseId: string, proposedSeverity: string | null, at: string) => {
    const body = caseBody();
    return event(
      'CaseSubmitted',
      {
        ...body,
        caseId,
        reference: `SR-OLD-${caseId.slice(0, 6)}`,
        submittedBy: 'partner-1',
        customerId: null,
        azure: null,
        proposedSeverity,
      },
      at,
    );
  };

  it('a case without a clock until triage: read as before; the first staff severity starts its clock from then and is the triage', async () => {
    const caseId = randomUUID();
    await store.append(`case-${caseId}`, [submitted(caseId, null, ago(60))], 'no_stream');
    const before = (await service.request('GET', `/v1/cases/${caseId}`)).body;
    expect(before).toMatchObject({
      status: 'open',
      severity: null,
      proposedSeverity: null,
      triaged: false,
      sla: { initialResponse: null },
    });

    const triaged = await service.request('POST', `/v1/cases/${caseId}/severity`, {
      body: { severity: 'A', reason: 'everyone is down' },
    });
    expect(triaged.status).toBe(200);
    const events = await history(service, caseId);
    expect(events.map((e) => e.type)).toEqual(['CaseSubmitted', 'SeverityAssigned', 'SlaClockStarted']);
    expect(events[2].data).toMatchObject({ cause: 'severity-assigned', startedAt: events[1].data.at });
    expect((await service.request('GET', `/v1/cases/${caseId}`)).body).toMatchObject({
      severity: 'A',
      triaged: true,
      triagedBy: 'support-1',
    });
  });

  it('a proposal recorded as the severity (old form) is not a triage; its running clock resumes on reopen with the time it had left', async () => {
    const caseId = randomUUID();
    const at = ago(30);
    const clock = {
      clock: 'initialResponse',
      clockId: 'initialResponse-1',
      severity: 'A',
      startedAt: at,
      dueAt: new Date(Date.parse(at) + 3_600_000).toISOString(),
    };
    await store.append(
      `case-${caseId}`,
      [
        submitted(caseId, 'A', at),
        event(
          'SeverityAssigned',
          { caseId, severity: 'A', previousSeverity: null, reason: 'proposed at submission', by: 'partner-1' },
          at,
        ),
        event(
          'SlaClockStarted',
          {
            caseId,
            ...clock,
            warnAt: new Date(Date.parse(at) + 2_700_000).toISOString(),
            escalateAt: new Date(Date.parse(at) + 7_200_000).toISOString(),
            policyVersion: 'default-2026-11',
            calendar: '24x7',
            location: { timeZone: 'Europe/Paris', country: 'FR' },
            cause: 'severity-assigned',
            replacesClockId: null,
          },
          at,
        ),
      ],
      'no_stream',
    );
    const view = (await service.request('GET', `/v1/cases/${caseId}`)).body;
    expect(view).toMatchObject({
      severity: 'A',
      proposedSeverity: 'A',
      triaged: false,
      sla: { initialResponse: { state: 'running', recordedState: 'running' } },
    });
    await waitUntil(
      () => service.request('GET', '/v1/cases?triaged=false&limit=200'),
      (r) => r.body.items?.some((c: any) => c.caseId === caseId),
    );

    expect(
      (await service.request('POST', `/v1/cases/${caseId}/resolution`, { body: { summary: 'fixed' } })).status,
    ).toBe(200);
    expect((await service.request('POST', `/v1/cases/${caseId}/reopening`, { body: { reason: 'again' } })).status).toBe(
      200,
    );
    const events = await history(service, caseId);
    const resolvedAt = events.find((e) => e.type === 'CaseResolved')!.data.at;
    const resumed = events.find((e) => e.type === 'SlaClockResumed')!.data;
    expect(events.filter((e) => e.type === 'SlaClockStarted')).toHaveLength(1);
    expect(Date.parse(resumed.dueAt) - Date.parse(resumed.resumedAt)).toBe(
      Date.parse(clock.dueAt) - Date.parse(resolvedAt),
    );
  });
});
