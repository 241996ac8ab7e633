import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { caseBody, engineerWithManager } from '../support/case-fixtures';
import { secondsPolicy, submission, waitUntil } from '../support/case-requests';
import { startTestService, TestService } from '../support/test-service';

type HistoryEntry = { type: string; data: Record<string, any>; metadata: { occurredAt: string; actor: string } };

const policyFile = (policy: object): string => {
  const file = join(mkdtempSync(join(tmpdir(), 'casetrail-policy-')), 'policy.json');
  writeFileSync(file, JSON.stringify(policy));
  return file;
};
const ms = (iso: string) => Date.parse(iso);
const plus = (iso: string, delta: number) => new Date(ms(iso) + delta).toISOString();

async function historyOf(service: TestService, caseId: string): Promise<HistoryEntry[]> {
  return (await service.request<HistoryEntry[]>('GET', `/v1/cases/${caseId}/history`)).body;
}
const ofType = (events: HistoryEntry[], type: string) => events.filter((e) => e.type === type);

// The service is started at the top level so that the scenarios below, each its own case on it,
// can run at once (it.concurrent starts right after the top-level hooks): each one mostly waits
// for its clocks, and waiting for them one after the other tripled this file's time.
// The controlled-clock scenarios (a weekend pause) are in sla-pause-calendar.e2e.spec.ts.
let service: TestService;
beforeAll(async () => {
  // Every clock 4 s (24x7), warning at 2 s, escalation 2 s after due; triage alert after 2 s;
  // a paused clock resumes by itself after 8 s.
  const policy = { ...secondsPolicy('test-seconds-pause'), triageWithin: 'PT2S', autoResumeAfter: 'PT8S' };
  service = await startTestService({ env: { SLA_POLICY_FILE: policyFile(policy) } });
});
afterAll(() => service.close());

describe('SLA clocks with real timers: from submission, paused while awaiting the partner, never reset', () => {
  it.concurrent(
    'an untriaged case (no proposed severity) has a clock from submission and breaches on time; it sits in the triage queue and raises a triage alert',
    async () => {
      const submitted = await service.request('POST', '/v1/cases', { body: caseBody() });
      expect(submitted.status).toBe(201);
      expect(submitted.body).toMatchObject({ status: 'open', severity: 'B', proposedSeverity: null, triagedAt: null });
      const caseId = submitted.body.caseId;

      const events = await waitUntil(
        () => historyOf(service, caseId),
        (h) => ofType(h, 'SlaBreached').length > 0 && ofType(h, 'TriageAtRisk').length > 0,
      );
      const submittedAt = events[0].metadata.occurredAt;
      const clock = ofType(events, 'SlaClockStarted')[0].data;
      expect(clock).toMatchObject({
        clock: 'initialResponse',
        severity: 'B',
        startedAt: submittedAt,
        cause: 'case-submitted',
      });
      const breach = ofType(events, 'SlaBreached')[0];
      expect(breach.data.breachedAt).toBe(plus(submittedAt, 4000));
      const late = ms(breach.metadata.occurredAt) - ms(breach.data.dueAt);
      expect(late).toBeGreaterThanOrEqual(0);
      expect(late).toBeLessThan(1500);
      const triageAlert = ofType(events, 'TriageAtRisk')[0];
      expect(triageAlert.data.triageDueAt).toBe(plus(submittedAt, 2000));
      expect(triageAlert.metadata.actor).toBe('system');

      // A routed case has no severity to triage: it never joins the queue.
      const routed = await service.request('POST', '/v1/cases', { body: caseBody({ requestType: 'billing' }) });
      expect(routed.body.status).toBe('routed');
      const queue = await waitUntil(
        () => service.request('GET', `/v1/cases?triaged=false&limit=200&consistentWith=${routed.body.position}`),
        (r) => r.body.items?.some((c: any) => c.caseId === caseId),
      );
      expect(queue.body.items.every((c: any) => c.triaged === false)).toBe(true);
      expect(queue.body.items.some((c: any) => c.caseId === routed.body.caseId)).toBe(false);
      const alerts = await waitUntil(
        () => service.request('GET', '/v1/alerts?kind=warning', { key: 'ops' }),
        (r) => r.body.items?.some((a: any) => a.caseId === caseId && a.eventType === 'TriageAtRisk'),
      );
      expect(alerts.status).toBe(200);

      // Staff triage: recorded with who and when; the case leaves the triage queue.
      const triaged = await service.request('POST', `/v1/cases/${caseId}/severity`, {
        body: { severity: 'C', reason: 'one user, workaround' },
      });
      expect(triaged.status).toBe(200);
      expect(triaged.body).toMatchObject({
        severity: 'C',
        triagedBy: expect.any(String),
        triagedAt: expect.any(String),
      });
      const view = (await service.request('GET', `/v1/cases/${caseId}`)).body;
      expect(view).toMatchObject({
        severity: 'C',
        proposedSeverity: null,
        triaged: true,
        triagedAt: triaged.body.triagedAt,
      });
      // The breach stays a fact (the severity change does not move a breached clock).
      expect(view.sla.initialResponse).toMatchObject({ state: 'breached', clockId: clock.clockId });
      expect(view.slaBreaches).toHaveLength(1);
      await waitUntil(
        () => service.request('GET', `/v1/cases?triaged=false&limit=200&consistentWith=${triaged.body.position}`),
        (r) => r.status === 200 && !r.body.items.some((c: any) => c.caseId === caseId),
      );
    },
    40_000,
  );

  it.concurrent(
    'a paused clock neither warns, breaches nor escalates; on the partner reply its due moves by exactly the paused time, and it breaches then',
    async () => {
      const { engineerId } = await engineerWithManager(service, `pause${Date.now()}`);
      const caseId = (await service.request('POST', '/v1/cases', { body: submission() })).body.caseId;
      expect((await service.request('POST', `/v1/cases/${caseId}/assignment`, { body: { engineerId } })).status).toBe(
        200,
      );
      const waiting = await service.request('POST', `/v1/cases/${caseId}/awaiting-partner`, {
        body: { reason: 'information-requested', summary: 'Please send the message trace' },
      });
      expect(waiting.status).toBe(200);
      expect(waiting.body).toMatchObject({ status: 'awaiting-partner', nextUpdate: { state: 'paused' } });

      // Past the original due (4 s) and escalation (6 s), before the auto-resume (8 s).
      await new Promise((r) => setTimeout(r, 6500));
      const paused = await historyOf(service, caseId);
      const pausedClock = ofType(paused, 'SlaClockStarted').find((e) => e.data.clock === 'nextUpdate')!.data;
      for (const type of ['SlaWarningRaised', 'SlaBreached', 'UpdateReminderSent', 'EscalatedToManager']) {
        expect(ofType(paused, type).filter((e) => e.data.clockId === pausedClock.clockId)).toEqual([]);
      }
      const view = (await service.request('GET', `/v1/cases/${caseId}`)).body;
      expect(view.status).toBe('awaiting-partner');
      expect(view.sla.nextUpdate).toMatchObject({
        state: 'paused',
        recordedState: 'paused',
        pausedAt: pausedClock.startedAt,
      });
      expect(view.sla.nextUpdate.pausedFor).toMatch(/^PT\d+(\.\d+)?S$/);

      const reply = await service.request('POST', `/v1/cases/${caseId}/partner-replies`, {
        key: 'partner',
        body: { summary: 'Trace attached' },
      });
      expect(reply.status).toBe(201);
      expect(reply.body).toMatchObject({ status: 'open', nextUpdate: { state: 'running' } });
      const resumed = ofType(await historyOf(service, caseId), 'SlaClockResumed')[0].data;
      expect(resumed).toMatchObject({
        clockId: pausedClock.clockId,
        cause: 'partner-replied',
        pausedAt: pausedClock.startedAt,
      });
      const pausedMs = ms(resumed.resumedAt) - ms(resumed.pausedAt);
      expect(resumed.pausedMs).toBe(pausedMs);
      expect(resumed.dueAt).toBe(plus(pausedClock.dueAt, pausedMs));
      expect(resumed.warnAt).toBe(plus(pausedClock.warnAt, pausedMs));
      expect(resumed.escalateAt).toBe(plus(pausedClock.escalateAt, pausedMs));

      const after = await waitUntil(
        () => historyOf(service, caseId),
        (h) => ofType(h, 'SlaBreached').some((e) => e.data.clockId === pausedClock.clockId),
      );
      const breach = ofType(after, 'SlaBreached').find((e) => e.data.clockId === pausedClock.clockId)!;
      expect(breach.data.dueAt).toBe(resumed.dueAt);
      expect(ms(breach.metadata.occurredAt)).toBeGreaterThanOrEqual(ms(resumed.dueAt));
      expect(ms(breach.metadata.occurredAt) - ms(resumed.dueAt)).toBeLessThan(1500);
      expect(ofType(after, 'SlaWarningRaised').find((e) => e.data.clockId === pausedClock.clockId)!.data.warnAt).toBe(
        resumed.warnAt,
      );
    },
    40_000,
  );

  it.concurrent(
    'a pause ends by itself after autoResumeAfter (actor system)',
    async () => {
      const caseId = (await service.request('POST', '/v1/cases', { body: submission() })).body.caseId;
      const waiting = await service.request('POST', `/v1/cases/${caseId}/awaiting-partner`, {
        body: { reason: 'third-party', summary: 'Waiting on the carrier' },
      });
      expect(waiting.status).toBe(200);
      const events = await waitUntil(
        () => historyOf(service, caseId),
        (h) => ofType(h, 'SlaClockResumed').length > 0,
        20_000,
      );
      const resumed = ofType(events, 'SlaClockResumed')[0];
      expect(resumed.data).toMatchObject({ cause: 'auto-resume', by: 'system' });
      expect(resumed.metadata.actor).toBe('system');
      expect(ms(resumed.data.resumedAt) - ms(resumed.data.pausedAt)).toBeGreaterThanOrEqual(8000);
      expect(ms(resumed.data.resumedAt) - ms(resumed.data.pausedAt)).toBeLessThan(9500);
      expect((await service.request('GET', `/v1/cases/${caseId}`)).body.status).toBe('open');
    },
    40_000,
  );

  it.concurrent(
    'a resolve + reopen pair does not give an unanswered case a fresh window',
    async () => {
      const caseId = (await service.request('POST', '/v1/cases', { body: submission() })).body.caseId;
      await new Promise((r) => setTimeout(r, 1000));
      expect(
        (await service.request('POST', `/v1/cases/${caseId}/resolution`, { body: { summary: 'Looks fixed' } })).status,
      ).toBe(200);
      await new Promise((r) => setTimeout(r, 1500));
      expect(
        (await service.request('POST', `/v1/cases/${caseId}/reopening`, { body: { reason: 'Broken again' } })).status,
      ).toBe(200);

      const events = await historyOf(service, caseId);
      const clock = ofType(events, 'SlaClockStarted')[0].data;
      expect(ofType(events, 'SlaClockStarted')).toHaveLength(1); // no fresh clock
      const reopenedAt = ofType(events, 'CaseReopened')[0].data.at;
      const resolvedAt = ofType(events, 'CaseResolved')[0].data.at;
      const resumed = ofType(events, 'SlaClockResumed')[0].data;
      expect(resumed).toMatchObject({
        clockId: clock.clockId,
        cause: 'case-reopened',
        pausedAt: resolvedAt,
        resumedAt: reopenedAt,
      });
      // The time before the resolution counts: what was left at resolution is what is left now.
      expect(ms(resumed.dueAt) - ms(reopenedAt)).toBe(ms(clock.dueAt) - ms(resolvedAt));
      expect(ms(resumed.dueAt)).toBeLessThan(ms(reopenedAt) + 4000);

      const after = await waitUntil(
        () => historyOf(service, caseId),
        (h) => ofType(h, 'SlaBreached').length > 0,
      );
      expect(ofType(after, 'SlaBreached')[0].data).toMatchObject({ clockId: clock.clockId, dueAt: resumed.dueAt });
    },
    40_000,
  );
});
