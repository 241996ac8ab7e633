import { startTestService, TestService } from '../support/test-service';
import { engineerWithManager } from '../support/case-fixtures';
import { secondsPolicyFile, submission, waitUntil } from '../support/case-requests';

type HistoryEntry = { type: string; data: Record<string, any>; metadata: { occurredAt: string; actor: string } };

// Started at the top level so that the two scenarios (each its own case) wait for their clocks at
// the same time (it.concurrent starts right after the top-level hooks).
let service: TestService;
beforeAll(async () => {
  const policyFile = secondsPolicyFile();
  service = await startTestService({ env: { SLA_POLICY_FILE: policyFile } });
});
afterAll(() => service.close());

describe('SLA timers with real Redis and a policy in seconds', () => {
  it.concurrent(
    'records warning, breach, reminder and escalation once each, within a second of their instants',
    async () => {
      const { engineerId, managerId } = await engineerWithManager(service, 'timers1');
      const submitted = await service.request('POST', '/v1/cases', { body: submission() });
      expect(submitted.status).toBe(201);
      const caseId = submitted.body.caseId;
      expect((await service.request('POST', `/v1/cases/${caseId}/assignment`, { body: { engineerId } })).status).toBe(
        200,
      );

      const history = await waitUntil(
        async () => (await service.request<HistoryEntry[]>('GET', `/v1/cases/${caseId}/history`)).body,
        (events) => events.some((e) => e.type === 'EscalatedToManager'),
      );
      // Give a repeated or late job the chance to show itself before counting.
      await new Promise((r) => setTimeout(r, 1500));
      const final = (await service.request<HistoryEntry[]>('GET', `/v1/cases/${caseId}/history`)).body;
      const clock = final.find((e) => e.type === 'SlaClockStarted')!.data;
      const count = (type: string) => final.filter((e) => e.type === type).length;
      expect(count('SlaWarningRaised')).toBe(1);
      expect(count('SlaBreached')).toBe(1);
      expect(count('UpdateReminderSent')).toBe(1);
      expect(count('EscalatedToManager')).toBe(1);
      expect(history.length).toBeLessThanOrEqual(final.length);

      const lateness = (type: string, due: string) =>
        Date.parse(final.find((e) => e.type === type)!.metadata.occurredAt) - Date.parse(due);
      for (const [type, due] of [
        ['SlaWarningRaised', clock.warnAt],
        ['SlaBreached', clock.dueAt],
        ['UpdateReminderSent', clock.dueAt],
        ['EscalatedToManager', clock.escalateAt],
      ]) {
        const late = lateness(type, due);
        expect(late).toBeGreaterThanOrEqual(0);
        expect(late).toBeLessThan(1000);
      }
      const escalation = final.find((e) => e.type === 'EscalatedToManager')!;
      expect(escalation.data).toMatchObject({ managerId, engineerId, reason: 'update overdue', automatic: true });
      expect(escalation.metadata.actor).toBe('system');
      expect(final.find((e) => e.type === 'UpdateReminderSent')!.data.engineerId).toBe(engineerId);

      const current = await service.request('GET', `/v1/cases/${caseId}`);
      expect(current.body.sla.initialResponse).toMatchObject({ state: 'breached', breachedAt: clock.dueAt });
    },
    30_000,
  );

  it.concurrent(
    'an update in time meets the clock: no warning or breach follows',
    async () => {
      const submitted = await service.request('POST', '/v1/cases', { body: submission() });
      const caseId = submitted.body.caseId;
      const update = await service.request('POST', `/v1/cases/${caseId}/updates`, {
        body: { channel: 'phone', summary: 'On it' },
      });
      expect(update.status).toBe(201);
      expect(update.body.initialResponse).toBe(true);
      const resolved = await service.request('POST', `/v1/cases/${caseId}/resolution`, { body: { summary: 'Fixed' } });
      expect(resolved.status).toBe(200);
      await new Promise((r) => setTimeout(r, 5000));
      const types = (await service.request<HistoryEntry[]>('GET', `/v1/cases/${caseId}/history`)).body.map(
        (e) => e.type,
      );
      expect(types).not.toContain('SlaWarningRaised');
      expect(types).not.toContain('SlaBreached');
      const current = await service.request('GET', `/v1/cases/${caseId}`);
      expect(current.body.sla.initialResponse.state).toBe('met');
    },
    30_000,
  );
});
