import { startTestService, TestService } from '../support/test-service';
import {
  caseBody,
  command,
  engineerWithManager,
  everyoneOffShift,
  expectAnswerMatchesHistory,
  expectHistoryUnchanged,
  expectProblem,
  getCase,
  history,
  registerEngineer,
  setAvailability,
  snapshot,
  submitCase,
  totalEvents,
  unique,
} from '../support/case-fixtures';

const UNKNOWN_CASE = '0b7e7a52-5d1e-4f0e-9b6a-3c2d1e0f9a8b';

describe('partner tenancy and read-only roles over HTTP (embedded store)', () => {
  let service: TestService;
  let engineerId: string;
  let managerId: string;
  beforeAll(async () => {
    service = await startTestService();
    ({ engineerId, managerId } = await engineerWithManager(service, 'tenancy'));
  });
  afterAll(() => service.close());

  describe('a partner key submits for itself only', () => {
    it('without partnerId: 400 naming the field (api.md: the body names the partner), nothing written', async () => {
      const body = caseBody({ proposedSeverity: 'B' });
      delete body.partnerId;
      const response = await service.request('POST', '/v1/cases', { key: 'partner', body });
      expect(response.status).toBe(400);
      expect(response.body.errors.map((e: { field: string }) => e.field)).toEqual(['partnerId']);
    });

    it('with its own partnerId', async () => {
      const { caseId } = await submitCase(service, { partnerId: 'p-contoso' }, 'partner');
      expect((await getCase(service, caseId)).partnerId).toBe('p-contoso');
    });

    it('for another partner: 403, nothing written', async () => {
      const before = await totalEvents(service);
      const response = await service.request('POST', '/v1/cases', {
        key: 'partner',
        body: caseBody({ partnerId: 'p-northwind' }),
      });
      expectProblem(response, 403);
      expect(await totalEvents(service)).toBe(before);
    });
  });

  describe("another partner's case is a 404, exactly like a case that does not exist", () => {
    let caseId: string;
    beforeAll(async () => {
      caseId = (await submitCase(service, { proposedSeverity: 'A' }, 'partner')).caseId;
      await command(service, caseId, 'assignment', { engineerId });
    });

    it.each([
      ['GET', ''],
      ['GET', '/history'],
      ['GET', `/state?asOf=${encodeURIComponent('2100-01-01T00:00:00Z')}`],
    ])('%s /v1/cases/{id}%s', async (method, suffix) => {
      const other = await service.request(method, `/v1/cases/${caseId}${suffix}`, { key: 'otherPartner' });
      const unknown = await service.request(method, `/v1/cases/${UNKNOWN_CASE}${suffix}`, { key: 'otherPartner' });
      expectProblem(other, 404);
      expectProblem(unknown, 404);
      expect({ ...other.body, detail: other.body.detail.replace(caseId, '<id>') }).toEqual({
        ...unknown.body,
        detail: unknown.body.detail.replace(UNKNOWN_CASE, '<id>'),
      });
      // ...while the owner reads it.
      expect((await service.request(method, `/v1/cases/${caseId}${suffix}`, { key: 'partner' })).status).toBe(200);
    });

    it.each([
      ['partner-availability', { available24x7: false }],
      ['escalations', { reason: 'no answer' }],
      ['severity-a-calls', { caller: 'Northwind' }],
    ])('POST /v1/cases/{id}/%s: 404 and nothing written', async (route, body) => {
      const before = await snapshot(service, caseId);
      const response = await service.request('POST', `/v1/cases/${caseId}/${route}`, { key: 'otherPartner', body });
      expectProblem(response, 404);
      expect(response.body.detail).not.toMatch(/revision|severity|engineer/i);
      await expectHistoryUnchanged(service, caseId, before);
    });

    it('with an If-Match header: still a 404, never a 412 that reveals the case and its revision', async () => {
      const before = await snapshot(service, caseId);
      const response = await service.request('POST', `/v1/cases/${caseId}/escalations`, {
        key: 'otherPartner',
        body: { reason: 'probing' },
        headers: { 'if-match': '"9999"' },
      });
      expectProblem(response, 404);
      expect(response.body).not.toHaveProperty('currentRevision');
      await expectHistoryUnchanged(service, caseId, before);
    });

    it('with an Idempotency-Key: still a 404, and nothing written', async () => {
      const before = await snapshot(service, caseId);
      const response = await service.request('POST', `/v1/cases/${caseId}/partner-availability`, {
        key: 'otherPartner',
        body: { available24x7: false },
        headers: { 'idempotency-key': `probe-${unique()}` },
      });
      expectProblem(response, 404);
      await expectHistoryUnchanged(service, caseId, before);
    });
  });

  describe('a partner walks the escalation path on its own case', () => {
    it("sets its own 24x7 availability (lowering its A case), escalates to the engineer's manager, places a severity-A call", async () => {
      const p = `p${unique()}`;
      const spare = `${p}-spare`;
      await registerEngineer(service, spare, managerId);
      await setAvailability(service, engineerId, 'on-shift');
      const on = await setAvailability(service, spare, 'on-shift');
      await everyoneOffShift(service, on.body.position, [engineerId, spare]);

      const { caseId } = await submitCase(service, { proposedSeverity: 'A' }, 'partner');
      const assigned = await command(service, caseId, 'assignment', { engineerId });

      const escalated = await command(
        service,
        caseId,
        'escalations',
        { reason: 'no answer from the engineer' },
        { key: 'partner' },
      );
      expect(escalated.status).toBe(201);
      expect(escalated.body).toMatchObject({ caseId, managerId });
      let entries = await expectAnswerMatchesHistory(service, escalated, caseId);
      expect(entries[entries.length - 1]).toMatchObject({
        type: 'EscalatedToManager',
        data: { managerId, engineerId, by: 'portal-contoso' },
        metadata: { actor: 'portal-contoso' },
      });

      // The workload read model has caught up with the assignment (and the availabilities before it).
      const engineers = await service.request('GET', `/v1/engineers?consistentWith=${escalated.body.position}`, {
        key: 'support',
      });
      expect(
        engineers.body.items
          .filter((e: any) => e.availability === 'on-shift')
          .map((e: any) => e.engineerId)
          .sort(),
      ).toEqual([engineerId, spare].sort());
      expect(assigned.body.engineerId).toBe(engineerId);

      const call = await command(service, caseId, 'severity-a-calls', { caller: 'Jo Contoso' }, { key: 'partner' });
      expect(call.status).toBe(201);
      expect(call.body).toMatchObject({ caseId, fromEngineerId: engineerId, toEngineerId: spare });
      entries = await expectAnswerMatchesHistory(service, call, caseId);
      expect(entries[entries.length - 1]).toMatchObject({
        type: 'TransferredOnSeverityACall',
        data: { toEngineerId: spare, caller: 'Jo Contoso', by: 'portal-contoso' },
      });

      const off = await command(service, caseId, 'partner-availability', { available24x7: false }, { key: 'partner' });
      expect(off.body).toMatchObject({ severity: 'B', lowered: true });
      expect(await getCase(service, caseId, 'partner')).toMatchObject({
        severity: 'B',
        engineerId: spare,
        escalationCount: 1,
      });

      await everyoneOffShift(service, off.body.position);
    });
  });

  describe('read-only roles', () => {
    let caseId: string;
    let between: string;
    beforeAll(async () => {
      caseId = (await submitCase(service, { proposedSeverity: 'C' })).caseId;
      await new Promise((r) => setTimeout(r, 15));
      between = new Date().toISOString();
      await new Promise((r) => setTimeout(r, 15));
      await command(service, caseId, 'severity', { severity: 'B', reason: 'more users' });
    });

    it('the auditor reads the case, its history and its as-of state', async () => {
      const view = await service.request('GET', `/v1/cases/${caseId}`, { key: 'auditor' });
      expect(view.status).toBe(200);
      expect(view.body).toMatchObject({ caseId, severity: 'B' });
      const entries = await history(service, caseId, 'auditor');
      expect(entries.map((e) => e.type)).toEqual([
        'CaseSubmitted',
        'SeverityAssigned',
        'SlaClockStarted',
        'SeverityAssigned',
        'SlaClockStarted',
      ]);
      for (const e of entries) {
        expect(e.metadata).toEqual(
          expect.objectContaining({
            actor: 'support-1',
            occurredAt: expect.any(String),
            correlationId: expect.any(String),
            causationId: expect.any(String),
          }),
        );
      }
      const then = await service.request('GET', `/v1/cases/${caseId}/state?asOf=${encodeURIComponent(between)}`, {
        key: 'auditor',
      });
      expect(then.status).toBe(200);
      expect(then.body).toMatchObject({
        caseId,
        severity: 'C',
        revision: 2,
        sla: { initialResponse: { severity: 'C' } },
      });
    });

    it.each([
      ['severity', { severity: 'A', reason: 'x' }],
      ['updates', { channel: 'email', summary: 'x' }],
      ['resolution', { summary: 'x' }],
    ])('the auditor may not POST /%s (403, nothing written)', async (route, body) => {
      const before = await snapshot(service, caseId);
      expectProblem(await service.request('POST', `/v1/cases/${caseId}/${route}`, { key: 'auditor', body }), 403);
      await expectHistoryUnchanged(service, caseId, before);
    });

    it('the auditor may not submit (403, nothing written)', async () => {
      const before = await totalEvents(service);
      expectProblem(await service.request('POST', '/v1/cases', { key: 'auditor', body: caseBody() }), 403);
      expect(await totalEvents(service)).toBe(before);
    });

    it('ops reads the case but may not change it', async () => {
      expect((await service.request('GET', `/v1/cases/${caseId}`, { key: 'ops' })).status).toBe(200);
      const before = await snapshot(service, caseId);
      expectProblem(
        await service.request('POST', `/v1/cases/${caseId}/updates`, {
          key: 'ops',
          body: { channel: 'email', summary: 'x' },
        }),
        403,
      );
      await expectHistoryUnchanged(service, caseId, before);
    });
  });
});
