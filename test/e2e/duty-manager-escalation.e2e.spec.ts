import { startTestService, TestService } from '../support/test-service';
import { secondsPolicyFile, submission, waitUntil } from '../support/case-requests';
import { registerEngineer, unique } from '../support/case-fixtures';

type HistoryEntry = { type: string; data: Record<string, any>; metadata: { occurredAt: string; actor: string } };

/**
 * The SLA timers (real Redis, a policy in seconds) escalate an overdue case that has nobody else
 * to the duty manager, on time; with nobody on duty the escalation (and its alert) is `unowned`.
 * The two scenarios run one after the other: the duty manager is one for the whole service.
 */
describe('overdue cases with nobody to escalate to (SLA timers, a policy in seconds)', () => {
  let service: TestService;
  beforeAll(async () => {
    const policyFile = secondsPolicyFile();
    service = await startTestService({ env: { SLA_POLICY_FILE: policyFile } });
  });
  afterAll(() => service.close());

  const escalationOf = async (caseId: string) => {
    const events = await waitUntil(
      async () => (await service.request<HistoryEntry[]>('GET', `/v1/cases/${caseId}/history`)).body,
      (history) => history.some((e) => e.type === 'EscalatedToDutyManager'),
    );
    // Give a repeated or late job the chance to show itself before counting.
    await new Promise((r) => setTimeout(r, 1500));
    const final = (await service.request<HistoryEntry[]>('GET', `/v1/cases/${caseId}/history`)).body;
    expect(final.filter((e) => e.type === 'EscalatedToDutyManager')).toHaveLength(1);
    expect(final.filter((e) => e.type === 'EscalatedToManager')).toHaveLength(0);
    const clock = final.find((e) => e.type === 'SlaClockStarted')!.data;
    const escalation = final.find((e) => e.type === 'EscalatedToDutyManager')!;
    expect(events.length).toBeLessThanOrEqual(final.length);
    const late = Date.parse(escalation.metadata.occurredAt) - Date.parse(clock.escalateAt);
    expect(late).toBeGreaterThanOrEqual(0);
    expect(late).toBeLessThan(1000);
    expect(escalation.metadata.actor).toBe('system');
    return escalation;
  };

  it('nobody on duty: an unassigned overdue case escalates as unowned (alert kind unowned)', async () => {
    expect((await service.request('GET', '/v1/duty-manager', { key: 'ops' })).body.engineerId).toBeNull();
    const submitted = await service.request('POST', '/v1/cases', { body: submission() });
    expect(submitted.status).toBe(201);
    const caseId = submitted.body.caseId;

    const escalation = await escalationOf(caseId);
    expect(escalation.data).toMatchObject({
      engineerId: null,
      dutyManagerId: null,
      reason: 'update overdue; no engineer assigned',
      automatic: true,
    });
    const alerts = await waitUntil(
      async () => (await service.request('GET', '/v1/alerts?kind=unowned', { key: 'ops' })).body.items,
      (items: Array<{ caseId: string }>) => items.some((a) => a.caseId === caseId),
    );
    expect(alerts.find((a: { caseId: string }) => a.caseId === caseId)).toMatchObject({
      kind: 'unowned',
      eventType: 'EscalatedToDutyManager',
      managerId: null,
    });
    expect((await service.request('GET', `/v1/cases/${caseId}`)).body.escalationCount).toBe(1);
  }, 40_000);

  it('a case whose engineer has no manager escalates to the duty manager on time', async () => {
    const p = `dm${unique()}`;
    const [duty, lead] = [`${p}-duty`, `${p}-lead`];
    await registerEngineer(service, duty);
    await registerEngineer(service, lead); // a manager: nobody above it
    const set = await service.request('PUT', '/v1/duty-manager', { key: 'admin', body: { engineerId: duty } });
    expect(set.status).toBe(200);

    const submitted = await service.request('POST', '/v1/cases', { body: submission() });
    const caseId = submitted.body.caseId;
    await service.request('POST', `/v1/engineers/${lead}/availability`, { body: { status: 'on-shift' } });
    const assigned = await service.request('POST', `/v1/cases/${caseId}/assignment`, { body: { engineerId: lead } });
    expect(assigned.status).toBe(200);
    expect(assigned.body.managerId).toBeNull();

    const escalation = await escalationOf(caseId);
    expect(escalation.data).toMatchObject({
      engineerId: lead,
      dutyManagerId: duty,
      reason: `update overdue; engineer ${lead} has no manager`,
      automatic: true,
    });
    const alerts = await waitUntil(
      async () => (await service.request('GET', '/v1/alerts?kind=escalation', { key: 'ops' })).body.items,
      (items: Array<{ caseId: string }>) => items.some((a) => a.caseId === caseId),
    );
    expect(alerts.find((a: { caseId: string }) => a.caseId === caseId)).toMatchObject({
      kind: 'escalation',
      eventType: 'EscalatedToDutyManager',
      managerId: duty,
      engineerId: lead,
    });
  }, 40_000);
});
