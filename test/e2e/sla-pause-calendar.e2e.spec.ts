import { FixedClock } from '../../libs/platform/clock/clock';
import { submission } from '../support/case-requests';
import { startTestService, TestService } from '../support/test-service';

type HistoryEntry = { type: string; data: Record<string, any>; metadata: { occurredAt: string; actor: string } };

const ms = (iso: string) => Date.parse(iso);
const plus = (iso: string, delta: number) => new Date(ms(iso) + delta).toISOString();

async function historyOf(service: TestService, caseId: string): Promise<HistoryEntry[]> {
  return (await service.request<HistoryEntry[]>('GET', `/v1/cases/${caseId}/history`)).body;
}
const ofType = (events: HistoryEntry[], type: string) => events.filter((e) => e.type === type);

// (Moved from sla-pause-triage.e2e.spec.ts, whose real-timer scenarios run concurrently.)
describe('paused time in the clock calendar, across a weekend (controlled clock, default policy)', () => {
  // Friday 2026-12-04 15:00 in Paris (14:00Z); resumed Monday 2026-12-07 11:00 (10:00Z).
  const clock = new FixedClock(new Date('2026-12-04T14:00:00.000Z'));
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService({ clock });
  });
  afterAll(() => service.close());

  async function pausedCase(proposedSeverity: 'A' | 'B') {
    clock.set('2026-12-04T14:00:00.000Z');
    const caseId = (await service.request('POST', '/v1/cases', { body: submission({ proposedSeverity }) })).body.caseId;
    const waiting = await service.request('POST', `/v1/cases/${caseId}/awaiting-partner`, {
      body: { reason: 'customer-approval', summary: 'Need approval' },
    });
    expect(waiting.status).toBe(200);
    clock.set('2026-12-07T10:00:00.000Z');
    const view = (await service.request('GET', `/v1/cases/${caseId}`)).body;
    const resumed = await service.request('POST', `/v1/cases/${caseId}/resumption`, { body: {} });
    expect(resumed.status).toBe(200);
    const events = await historyOf(service, caseId);
    return {
      view,
      started: ofType(events, 'SlaClockStarted').find((e) => e.data.clock === 'nextUpdate')!.data,
      resumed: ofType(events, 'SlaClockResumed')[0].data,
    };
  }

  it('business calendar (B): Fri 15:00-17:00 and Mon 09:00-11:00 are 4 business hours; the due moves by exactly that', async () => {
    const { view, started, resumed } = await pausedCase('B');
    expect(view.sla.nextUpdate).toMatchObject({ state: 'paused', pausedFor: 'PT4H' });
    expect(started.dueAt).toBe('2026-12-07T14:00:00.000Z'); // one business day: Monday 15:00 Paris
    expect(resumed).toMatchObject({ cause: 'staff', pausedMs: 4 * 3_600_000, pausedFor: 'PT4H' });
    expect(resumed.dueAt).toBe('2026-12-08T10:00:00.000Z'); // Mon 15:00 + 4 business hours = Tue 11:00 Paris
  });

  it('24x7 (A): the whole 68 hours count', async () => {
    const { view, started, resumed } = await pausedCase('A');
    expect(view.sla.nextUpdate).toMatchObject({ state: 'paused', pausedFor: 'PT68H' });
    expect(resumed).toMatchObject({ pausedMs: 68 * 3_600_000, pausedFor: 'PT68H' });
    expect(resumed.dueAt).toBe(plus(started.dueAt, 68 * 3_600_000));
    expect(resumed.warnAt).toBe(plus(started.warnAt, 68 * 3_600_000));
  });

  it('the as-of state shows what was true (state) beside what was recorded (recordedState)', async () => {
    clock.set('2026-12-04T14:00:00.000Z');
    const caseId = (await service.request('POST', '/v1/cases', { body: submission() })).body.caseId;
    const asOf = await service.request('GET', `/v1/cases/${caseId}/state?asOf=2026-12-04T16:00:00Z`, {
      key: 'auditor',
    });
    expect(asOf.status).toBe(200);
    expect(asOf.body.sla.initialResponse).toMatchObject({ state: 'breached', recordedState: 'running' });
  });
});
