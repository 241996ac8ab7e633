import { startTestService, TestService } from '../support/test-service';
import {
  CASE_COMMANDS,
  caseBody,
  command,
  engineerWithManager,
  engineersAt,
  everyoneOffShift,
  expectAnswerMatchesHistory,
  expectHistoryUnchanged,
  expectProblem,
  getCase,
  history,
  registerEngineer,
  setAvailability,
  sleep,
  snapshot,
  submitCase,
  totalEvents,
  types,
  unique,
} from '../support/case-fixtures';

const HOUR = 3_600_000;
const ms = (iso: string) => Date.parse(iso);

describe('case commands over HTTP (embedded store)', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService();
  });
  afterAll(() => service.close());

  describe('POST /v1/cases', () => {
    // Adapted (issue 19): a case without a proposed severity now has its initial-response clock
    // from submission, under the policy's untriaged severity (B), and is untriaged.
    it('opens a case without a proposed severity: 201, reference, revision 2, string position, ETag, the history names the actor, and the clock runs from submission under the untriaged severity', async () => {
      const correlationId = `corr-${unique()}`;
      const response = await service.request('POST', '/v1/cases', {
        body: caseBody(),
        headers: { 'x-correlation-id': correlationId },
      });
      expect(response.status).toBe(201);
      expect(response.body).toEqual({
        caseId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        reference: expect.stringMatching(/^SR-\d{6}-[0-9A-HJKMNP-TV-Z]{6}$/),
        status: 'open',
        severity: 'B',
        lowered: false,
        proposedSeverity: null,
        triagedAt: null,
        triagedBy: null,
        revision: 2,
        position: expect.any(String),
      });
      const entries = await expectAnswerMatchesHistory(service, response, response.body.caseId);
      expect(types(entries)).toEqual(['CaseSubmitted', 'SeverityAssigned', 'SlaClockStarted']);
      expect(entries[0].data).toMatchObject({
        partnerId: 'p-contoso',
        customerId: null,
        product: 'office365',
        proposedSeverity: null,
        submittedBy: 'support-1',
      });
      expect(entries[0].metadata).toMatchObject({ actor: 'support-1', correlationId, occurredAt: expect.any(String) });
      expect(entries[1].data).toMatchObject({ severity: 'B', by: 'system', triage: false });
      expect(entries[2].data).toMatchObject({
        clock: 'initialResponse',
        severity: 'B',
        startedAt: entries[0].data.at,
        cause: 'case-submitted',
      });

      const view = await getCase(service, response.body.caseId);
      expect(view).toMatchObject({
        caseId: response.body.caseId,
        reference: response.body.reference,
        status: 'open',
        severity: 'B',
        proposedSeverity: null,
        triaged: false,
        triagedAt: null,
        triagedBy: null,
        partnerId: 'p-contoso',
        customerId: null,
        product: 'office365',
        engineerId: null,
        managerId: null,
        revision: 2,
        sla: {
          policyVersion: 'default-2026-11',
          initialResponse: { state: 'running', startedAt: entries[0].data.at },
          nextUpdate: null,
        },
      });
    });

    it('with a proposed severity answers it and starts the initial-response clock (A: 1 h, warning at 45 min, 24x7)', async () => {
      const response = await service.request('POST', '/v1/cases', { body: caseBody({ proposedSeverity: 'A' }) });
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({ status: 'open', severity: 'A', lowered: false, revision: 2 });
      const entries = await expectAnswerMatchesHistory(service, response, response.body.caseId);
      expect(types(entries)).toEqual(['CaseSubmitted', 'SeverityAssigned', 'SlaClockStarted']);

      const { sla } = await getCase(service, response.body.caseId);
      expect(sla.policyVersion).toBe('default-2026-11');
      expect(sla.nextUpdate).toBeNull();
      expect(sla.initialResponse).toMatchObject({
        state: 'running',
        severity: 'A',
        calendar: '24x7',
        clock: 'initialResponse',
      });
      const clock = sla.initialResponse;
      expect(ms(clock.startedAt)).toBe(ms(entries[0].metadata.occurredAt));
      expect(ms(clock.dueAt) - ms(clock.startedAt)).toBe(HOUR);
      expect(ms(clock.warnAt) - ms(clock.startedAt)).toBe(0.75 * HOUR);
    });

    it.each([
      ['billing', 'office365', 'billing'],
      ['presales', 'azure', 'pre-sales'],
      ['advisory', 'intune', 'advisory'],
      ['deployment', 'crm-online', 'deployment'],
      ['password-reset', 'office365', 'password-reset'],
      ['repair', 'parature', 'product-not-covered'],
      ['repair', 'dynamics-marketing', 'product-not-covered'],
    ])(
      'routes a %s request about %s to the %s team, records it and gives it no severity',
      async (requestType, product, team) => {
        const response = await service.request('POST', '/v1/cases', {
          body: caseBody({ requestType, product, proposedSeverity: 'A' }),
        });
        expect(response.status).toBe(201);
        expect(response.body).toEqual({
          caseId: expect.any(String),
          reference: expect.stringMatching(/^SR-/),
          status: 'routed',
          routedTo: team,
          revision: 1,
          position: expect.any(String),
        });
        const entries = await expectAnswerMatchesHistory(service, response, response.body.caseId);
        expect(types(entries)).toEqual(['CaseSubmitted', 'CaseRouted']);
        expect(entries[1].data).toMatchObject({ team, reason: expect.any(String) });
        expect(await getCase(service, response.body.caseId)).toMatchObject({
          status: 'routed',
          routedTo: team,
          severity: null,
          sla: { initialResponse: null },
        });
      },
    );

    it.each([
      [
        'azure without the access ID',
        { product: 'azure', azure: { subscriptionId: 'sub-1', contractId: 'ct-1' } },
        'azure-access-id-missing',
      ],
      ['azure without any identifier', { product: 'azure' }, 'azure-subscription-id-missing'],
      ['office365 by a plain user', { submitterRole: 'user' }, 'submitter-role-not-eligible'],
      [
        'office365 for a customer without delegated administration',
        { customerId: 'c-fabrikam', submitterRole: 'admin' },
        'submitter-role-not-eligible',
      ],
    ])('rejects %s as out of scope with its reason', async (_name, overrides, reason) => {
      const response = await service.request('POST', '/v1/cases', {
        body: caseBody({ ...overrides, proposedSeverity: 'B' }),
      });
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({ status: 'rejected', rejectionReason: reason, revision: 1 });
      expect(response.body).not.toHaveProperty('severity');
      expect(response.body).not.toHaveProperty('routedTo');
      const entries = await expectAnswerMatchesHistory(service, response, response.body.caseId);
      expect(types(entries)).toEqual(['CaseSubmitted', 'CaseRejected']);
      expect(entries[1].data.reason).toBe(reason);
      expect(await getCase(service, response.body.caseId)).toMatchObject({
        status: 'rejected',
        rejectionReason: reason,
        severity: null,
      });
    });

    it('opens eligible submissions (the same shapes with the right identifiers and roles)', async () => {
      const azure = await submitCase(service, {
        product: 'azure',
        // Issue 13: the programme's identifiers have a shape (access ID letters/digits, contract ID digits).
        azure: { subscriptionId: 'sub-1', accessId: 'SCS4F7Q2K9', contractId: '7205118' },
      });
      expect(azure.body.status).toBe('open');
      const onBehalf = await submitCase(service, { customerId: 'c-fabrikam', submitterRole: 'delegated-admin' });
      expect(onBehalf.body.status).toBe('open');
      expect((await getCase(service, onBehalf.caseId)).customerId).toBe('c-fabrikam');
    });

    it('lowers a proposed A to B when the partner is not available 24x7 (lowered: true), the clock runs as B', async () => {
      const response = await service.request('POST', '/v1/cases', {
        body: caseBody({ proposedSeverity: 'A', partnerAvailable24x7: false }),
      });
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({ status: 'open', severity: 'B', lowered: true });
      const entries = await expectAnswerMatchesHistory(service, response, response.body.caseId);
      expect(types(entries)).toEqual(['CaseSubmitted', 'SeverityAssigned', 'SeverityLowered', 'SlaClockStarted']);
      expect(entries[1].data.severity).toBe('A');
      expect(entries[2].data).toMatchObject({ from: 'A', to: 'B' });
      expect(entries[3].data).toMatchObject({ severity: 'B', calendar: 'business', clock: 'initialResponse' });
      const view = await getCase(service, response.body.caseId);
      expect(view).toMatchObject({
        severity: 'B',
        severityLowered: true,
        sla: { initialResponse: { severity: 'B', state: 'running' } },
      });
    });
  });

  describe('severity and partner availability', () => {
    // Adapted (issue 19): the case has its clock from submission (untriaged B); the first
    // POST /severity is the triage and restarts that clock from the submission.
    it('POST /severity assigns it (the first is the triage); A without 24x7 gives B with lowered: true; the running clock restarts from its original start', async () => {
      const { caseId } = await submitCase(service, { partnerAvailable24x7: false });
      const submitted = await history(service, caseId);
      const first = submitted[2].data;
      expect(first).toMatchObject({ clock: 'initialResponse', severity: 'B', startedAt: submitted[0].data.at });
      const c = await command(service, caseId, 'severity', { severity: 'C', reason: 'one user, workaround exists' });
      expect(c.body).toMatchObject({
        caseId,
        severity: 'C',
        lowered: false,
        triagedBy: 'support-1',
        triagedAt: expect.any(String),
      });
      let entries = await expectAnswerMatchesHistory(service, c, caseId);
      expect(types(entries).slice(3)).toEqual(['SeverityAssigned', 'SlaClockStarted']);
      expect(entries[3].data).toMatchObject({ severity: 'C', previousSeverity: 'B', triage: true });
      expect(entries[4].data).toMatchObject({
        severity: 'C',
        replacesClockId: first.clockId,
        startedAt: first.startedAt,
        cause: 'severity-changed',
      });
      const triaged = entries[4].data;

      const a = await command(service, caseId, 'severity', { severity: 'A', reason: 'now everyone is down' });
      expect(a.body).toMatchObject({ caseId, severity: 'B', lowered: true, triagedAt: c.body.triagedAt });
      entries = await expectAnswerMatchesHistory(service, a, caseId);
      expect(types(entries).slice(5)).toEqual(['SeverityAssigned', 'SeverityLowered', 'SlaClockStarted']);
      expect(entries[5].data).toMatchObject({
        severity: 'A',
        previousSeverity: 'C',
        reason: 'now everyone is down',
        by: 'support-1',
        triage: false,
      });
      const restarted = entries[7].data;
      expect(restarted).toMatchObject({
        severity: 'B',
        replacesClockId: triaged.clockId,
        startedAt: first.startedAt,
        cause: 'severity-changed',
      });
      expect(restarted.clockId).not.toBe(triaged.clockId);
      expect((await getCase(service, caseId)).sla.initialResponse).toMatchObject({
        clockId: restarted.clockId,
        severity: 'B',
        startedAt: first.startedAt,
      });
    });

    it('partner availability false lowers an A case to B; true again does not raise it', async () => {
      const { caseId } = await submitCase(service, { proposedSeverity: 'A' });
      const before = await history(service, caseId);
      const off = await command(service, caseId, 'partner-availability', { available24x7: false });
      expect(off.body).toMatchObject({ caseId, available24x7: false, severity: 'B', lowered: true });
      const entries = await expectAnswerMatchesHistory(service, off, caseId);
      expect(types(entries).slice(before.length)).toEqual([
        'PartnerAvailabilityChanged',
        'SeverityLowered',
        'SlaClockStarted',
      ]);
      expect(entries[entries.length - 1].data).toMatchObject({
        severity: 'B',
        replacesClockId: before[2].data.clockId,
        startedAt: before[2].data.startedAt,
      });
      expect(await getCase(service, caseId)).toMatchObject({
        severity: 'B',
        severityLowered: true,
        partnerAvailable24x7: false,
      });

      const on = await command(service, caseId, 'partner-availability', { available24x7: true });
      expect(on.body).toMatchObject({ available24x7: true, severity: 'B', lowered: false });
      const after = await expectAnswerMatchesHistory(service, on, caseId);
      expect(types(after).slice(entries.length)).toEqual(['PartnerAvailabilityChanged']);

      // Repeating the current availability changes nothing: same revision, nothing written.
      const before2 = await snapshot(service, caseId);
      const same = await command(service, caseId, 'partner-availability', { available24x7: true });
      expect(same.body).toMatchObject({ available24x7: true, revision: on.body.revision, position: on.body.position });
      expect(same.headers.get('etag')).toBe(`"${on.body.revision}"`);
      await expectHistoryUnchanged(service, caseId, before2);
    });
  });

  describe('engineers on the case', () => {
    it('assigns an engineer; the first update is the initial response and meets the clock; the next-update clock starts', async () => {
      const { engineerId, managerId } = await engineerWithManager(service, 'assign');
      const { caseId } = await submitCase(service, { proposedSeverity: 'A' });
      const assigned = await command(service, caseId, 'assignment', { engineerId });
      expect(assigned.body).toMatchObject({ caseId, engineerId, managerId });
      let entries = await expectAnswerMatchesHistory(service, assigned, caseId);
      expect(entries[entries.length - 1]).toMatchObject({
        type: 'EngineerAssigned',
        data: { engineerId, managerId, previousEngineerId: null },
      });

      const first = await command(service, caseId, 'updates', {
        channel: 'phone',
        summary: 'called the partner, collecting traces',
      });
      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({ caseId, initialResponse: true });
      entries = await expectAnswerMatchesHistory(service, first, caseId);
      const sent = entries.find((e) => e.type === 'UpdateSent')!;
      expect(sent.data).toMatchObject({
        channel: 'phone',
        initialResponse: true,
        meetsClockId: entries[2].data.clockId,
        by: 'support-1',
      });

      const view = await getCase(service, caseId);
      expect(view).toMatchObject({ engineerId, managerId, updateCount: 1, initialResponseAt: sent.data.at });
      expect(view.sla.initialResponse).toMatchObject({ state: 'met', metAt: sent.data.at });
      expect(view.sla.nextUpdate).toMatchObject({ state: 'running', severity: 'A', startedAt: sent.data.at });
      expect(ms(view.sla.nextUpdate.dueAt) - ms(sent.data.at)).toBe(2 * HOUR);

      const before = await snapshot(service, caseId);
      const again = await command(service, caseId, 'assignment', { engineerId });
      expect(again.body).toMatchObject({ engineerId, revision: first.body.revision });
      await expectHistoryUnchanged(service, caseId, before);

      const second = await command(service, caseId, 'updates', { channel: 'email', summary: 'mitigation applied' });
      expect(second.body).toMatchObject({ initialResponse: false });
      expect((await getCase(service, caseId)).updateCount).toBe(2);
    });

    it('refuses an engineer that does not exist with 404 and writes nothing', async () => {
      const { caseId } = await submitCase(service);
      const before = await snapshot(service, caseId);
      const response = await service.request('POST', `/v1/cases/${caseId}/assignment`, {
        body: { engineerId: `e-ghost-${unique()}` },
      });
      expectProblem(response, 404);
      await expectHistoryUnchanged(service, caseId, before);
    });

    it("escalates to the assigned engineer's manager (201 with managerId); 409 with no engineer or a manager-less engineer", async () => {
      const { caseId } = await submitCase(service, { proposedSeverity: 'B' });
      let before = await snapshot(service, caseId);
      const none = await service.request('POST', `/v1/cases/${caseId}/escalations`, { body: { reason: 'no answer' } });
      expectProblem(none, 409);
      await expectHistoryUnchanged(service, caseId, before);

      const { engineerId, managerId } = await engineerWithManager(service, 'esc');
      await command(service, caseId, 'assignment', { engineerId: managerId });
      before = await snapshot(service, caseId);
      const noManager = await service.request('POST', `/v1/cases/${caseId}/escalations`, {
        body: { reason: 'no answer' },
      });
      expectProblem(noManager, 409);
      await expectHistoryUnchanged(service, caseId, before);

      await command(service, caseId, 'assignment', { engineerId });
      const escalated = await command(service, caseId, 'escalations', {
        reason: 'no answer from the engineer for a day',
      });
      expect(escalated.status).toBe(201);
      expect(escalated.body).toMatchObject({ caseId, managerId });
      const entries = await expectAnswerMatchesHistory(service, escalated, caseId);
      expect(entries[entries.length - 1]).toMatchObject({
        type: 'EscalatedToManager',
        data: {
          engineerId,
          managerId,
          automatic: false,
          reason: 'no answer from the engineer for a day',
          by: 'support-1',
        },
      });
      expect((await getCase(service, caseId)).escalationCount).toBe(1);
    });
  });

  describe('severity-A calls', () => {
    it('a severity-B call is queued (no transfer), and 409 when no other engineer is on shift; nothing written', async () => {
      const { engineerId } = await engineerWithManager(service, 'lonely');
      const on = await setAvailability(service, engineerId, 'on-shift');
      await everyoneOffShift(service, on.body.position, [engineerId]);

      const b = await submitCase(service, { proposedSeverity: 'B' });
      await command(service, b.caseId, 'assignment', { engineerId });
      const onB = await command(service, b.caseId, 'severity-a-calls', { caller: 'Jo' }, { status: 202 });
      expect(onB.body).toMatchObject({ queued: true, callId: expect.any(String), toEngineerId: null });
      expect((await history(service, b.caseId)).at(-1)).toMatchObject({
        type: 'CallQueued',
        data: { callId: onB.body.callId, severity: 'B', caller: 'Jo' },
      });

      const a = await submitCase(service, { proposedSeverity: 'A' });
      const assigned = await command(service, a.caseId, 'assignment', { engineerId });
      const list = await engineersAt(service, assigned.body.position);
      expect(list.filter((e) => e.availability === 'on-shift').map((e) => e.engineerId)).toEqual([engineerId]);
      const before = await snapshot(service, a.caseId);
      const nobody = await service.request('POST', `/v1/cases/${a.caseId}/severity-a-calls`, {
        body: { caller: 'Jo' },
      });
      expectProblem(nobody, 409);
      expect(nobody.body.detail).toMatch(/no engineer available/);
      await expectHistoryUnchanged(service, a.caseId, before);
      await setAvailability(service, engineerId, 'off-shift');
    });

    it('transfers to the next available engineer: on shift, not the current one, fewest open A cases, lowest id on a tie', async () => {
      const p = `t${unique()}`;
      const manager = `${p}-m`;
      await registerEngineer(service, manager);
      const [current, offShift, away, busy, free, free2] = [
        'a-cur',
        'b-off',
        'c-away',
        'd-busy',
        'e-free',
        'f-free',
      ].map((s) => `${p}-${s}`);
      for (const id of [current, offShift, away, busy, free, free2]) await registerEngineer(service, id, manager);
      for (const id of [current, busy, free, free2]) await setAvailability(service, id, 'on-shift');
      const awayAt = (await setAvailability(service, away, 'away')).body.position;
      await everyoneOffShift(service, awayAt, [current, busy, free, free2]);

      // busy holds another open A case; free holds a B case (only A cases count).
      const other = await submitCase(service, { proposedSeverity: 'A' });
      await command(service, other.caseId, 'assignment', { engineerId: busy });
      const bCase = await submitCase(service, { proposedSeverity: 'B' });
      await command(service, bCase.caseId, 'assignment', { engineerId: free });
      const { caseId } = await submitCase(service, { proposedSeverity: 'A' });
      const position = (await command(service, caseId, 'assignment', { engineerId: current })).body.position;

      const workload = Object.fromEntries((await engineersAt(service, position)).map((e) => [e.engineerId, e]));
      expect(workload[current]).toMatchObject({ availability: 'on-shift', openCases: { A: 1 } });
      expect(workload[busy]).toMatchObject({ availability: 'on-shift', openCases: { A: 1 } });
      expect(workload[free]).toMatchObject({ availability: 'on-shift', openCases: { A: 0, B: 1 } });
      expect(workload[free2]).toMatchObject({ availability: 'on-shift', openCases: { A: 0, B: 0 } });
      expect(workload[offShift]).toMatchObject({ availability: 'off-shift', openCases: { A: 0 } });
      expect(workload[away]).toMatchObject({ availability: 'away', openCases: { A: 0 } });

      const call = await command(service, caseId, 'severity-a-calls', { caller: '+33 1 23 45 67 89' });
      expect(call.status).toBe(201);
      expect(call.body).toMatchObject({ caseId, fromEngineerId: current, toEngineerId: free });
      const entries = await expectAnswerMatchesHistory(service, call, caseId);
      expect(entries[entries.length - 1]).toMatchObject({
        type: 'TransferredOnSeverityACall',
        data: {
          fromEngineerId: current,
          toEngineerId: free,
          toManagerId: manager,
          caller: '+33 1 23 45 67 89',
          by: 'support-1',
        },
      });
      expect(await getCase(service, caseId)).toMatchObject({ engineerId: free, managerId: manager });

      // The case (and its A workload) moved to `free`: the next call goes back to `current`.
      const moved = Object.fromEntries((await engineersAt(service, call.body.position)).map((e) => [e.engineerId, e]));
      expect(moved[current].openCases.A).toBe(0);
      expect(moved[free].openCases.A).toBe(1);
      const again = await command(service, caseId, 'severity-a-calls', { caller: 'Jo' });
      expect(again.body).toMatchObject({ fromEngineerId: free, toEngineerId: current });

      await everyoneOffShift(service, again.body.position);
    });
  });

  describe('resolution, closure, reopening', () => {
    const refuse = async (caseId: string, route: string, body: object, status = 409) => {
      const before = await snapshot(service, caseId);
      const response = await service.request('POST', `/v1/cases/${caseId}/${route}`, { body });
      expect({ route, status: response.status, detail: response.body.detail }).toEqual({
        route,
        status,
        detail: expect.any(String),
      });
      expectProblem(response, status);
      await expectHistoryUnchanged(service, caseId, before);
    };

    it('resolves (live clocks stop) and reopens a resolved case (a new clock); out-of-order commands are 409s that write nothing', async () => {
      const { caseId } = await submitCase(service, { proposedSeverity: 'A' });
      await command(service, caseId, 'updates', { channel: 'email', summary: 'first answer' });
      await refuse(caseId, 'reopening', { reason: 'x' }); // an open case is not reopened

      const resolved = await command(service, caseId, 'resolution', { summary: 'transport rule removed' });
      expect(resolved.body).toMatchObject({ caseId, status: 'resolved' });
      let entries = await expectAnswerMatchesHistory(service, resolved, caseId);
      const nextClock = entries.filter((e) => e.type === 'SlaClockStarted').pop()!.data.clockId;
      expect(entries[entries.length - 1]).toMatchObject({
        type: 'CaseResolved',
        data: { summary: 'transport rule removed', stoppedClockIds: [nextClock] },
      });
      const view = await getCase(service, caseId);
      expect(view).toMatchObject({
        status: 'resolved',
        resolutionSummary: 'transport rule removed',
        resolvedAt: expect.any(String),
      });
      expect(view.sla.initialResponse.state).toBe('met');
      expect(view.sla.nextUpdate).toMatchObject({ clockId: nextClock, state: 'stopped' });

      await refuse(caseId, 'resolution', { summary: 'again' }); // a resolved case is not resolved again
      await refuse(caseId, 'updates', { channel: 'email', summary: 'late' });
      await refuse(caseId, 'severity', { severity: 'B', reason: 'x' });

      const reopened = await command(service, caseId, 'reopening', { reason: 'the rule came back' });
      expect(reopened.body).toMatchObject({ caseId, status: 'open' });
      entries = await expectAnswerMatchesHistory(service, reopened, caseId);
      expect(types(entries).slice(-2)).toEqual(['CaseReopened', 'SlaClockStarted']);
      const reopening = entries[entries.length - 2].data;
      expect(reopening).toMatchObject({ previousStatus: 'resolved', reason: 'the rule came back' });
      const clock = entries[entries.length - 1].data;
      expect(clock).toMatchObject({
        clock: 'nextUpdate',
        cause: 'case-reopened',
        severity: 'A',
        startedAt: reopening.at,
      });
      expect(await getCase(service, caseId)).toMatchObject({
        status: 'open',
        resolvedAt: null,
        reopenedAt: reopening.at,
        sla: { nextUpdate: { clockId: clock.clockId, state: 'running' } },
      });
      await refuse(caseId, 'reopening', { reason: 'x' });
    });

    it('refuses to close an open case with 409', async () => {
      const { caseId } = await submitCase(service, { proposedSeverity: 'C' });
      await refuse(caseId, 'closure', {});
    });

    it('closes a resolved case with {} (200, status closed), then refuses closing or resolving it again, and reopens it', async () => {
      const { caseId } = await submitCase(service, { proposedSeverity: 'C' });
      await command(service, caseId, 'resolution', { summary: 'fixed' });
      const closed = await service.request('POST', `/v1/cases/${caseId}/closure`, { body: {} });
      expect({ status: closed.status, body: closed.body }).toEqual({
        status: 200,
        body: expect.objectContaining({ caseId, status: 'closed' }),
      });
      const entries = await expectAnswerMatchesHistory(service, closed, caseId);
      expect(entries[entries.length - 1]).toMatchObject({ type: 'CaseClosed', data: { by: 'support-1' } });
      expect(await getCase(service, caseId)).toMatchObject({ status: 'closed', closedAt: expect.any(String) });
      await refuse(caseId, 'closure', {});
      await refuse(caseId, 'resolution', { summary: 'again' });
      const reopened = await command(service, caseId, 'reopening', { reason: 'came back' });
      expect(reopened.body.status).toBe('open');
      const reopening = (await history(service, caseId)).filter((e) => e.type === 'CaseReopened');
      expect(reopening.map((e) => e.data.previousStatus)).toEqual(['closed']);
    });

    describe('on a routed case and on a rejected case', () => {
      let engineerId: string;
      let routed: string;
      let rejected: string;
      beforeAll(async () => {
        ({ engineerId } = await engineerWithManager(service, 'routed'));
        routed = (await submitCase(service, { requestType: 'billing' })).caseId;
        rejected = (await submitCase(service, { submitterRole: 'user' })).caseId;
        expect([(await getCase(service, routed)).status, (await getCase(service, rejected)).status]).toEqual([
          'routed',
          'rejected',
        ]);
      });

      it.each(CASE_COMMANDS.map((c) => [c.route, c.body] as const))(
        'refuses POST /%s with 409 and writes nothing',
        async (route, body) => {
          const valid =
            route === 'assignment' ? { engineerId } : route === 'partner-availability' ? { available24x7: true } : body;
          await refuse(routed, route, valid);
          await refuse(rejected, route, valid);
        },
      );
    });
  });

  describe('If-Match', () => {
    it('accepts the current revision, refuses a stale one with 412 and a malformed one with 400; nothing written on refusal', async () => {
      const { caseId, body } = await submitCase(service, { proposedSeverity: 'C' });
      const ok = await command(
        service,
        caseId,
        'updates',
        { channel: 'portal', summary: 'ack' },
        { headers: { 'if-match': `"${body.revision}"` } },
      );
      expect(ok.body.revision).toBeGreaterThan(body.revision);
      const before = await snapshot(service, caseId);
      const stale = await service.request('POST', `/v1/cases/${caseId}/severity`, {
        body: { severity: 'B', reason: 'x' },
        headers: { 'if-match': `"${body.revision}"` },
      });
      expectProblem(stale, 412);
      expect(stale.body.currentRevision).toBe(ok.body.revision);
      const malformed = await service.request('POST', `/v1/cases/${caseId}/severity`, {
        body: { severity: 'B', reason: 'x' },
        headers: { 'if-match': 'yesterday' },
      });
      expectProblem(malformed, 400, ['If-Match']);
      await expectHistoryUnchanged(service, caseId, before);
      const current = await command(
        service,
        caseId,
        'severity',
        { severity: 'B', reason: 'x' },
        { headers: { 'if-match': `"${ok.body.revision}"` } },
      );
      expect(current.body.severity).toBe('B');
    });
  });

  describe('GET /v1/cases/{id}/state?asOf=', () => {
    it('shows the case as it stood at an instant between two commands, SLA included', async () => {
      const { caseId } = await submitCase(service, { proposedSeverity: 'C' });
      const early = await history(service, caseId);
      await sleep(15);
      const between = new Date().toISOString();
      await sleep(15);
      await command(service, caseId, 'severity', { severity: 'A', reason: 'outage widened' });
      await command(service, caseId, 'resolution', { summary: 'fixed' });
      const now = await getCase(service, caseId);
      expect(now).toMatchObject({ severity: 'A', status: 'resolved' });

      const then = await service.request('GET', `/v1/cases/${caseId}/state?asOf=${encodeURIComponent(between)}`, {
        key: 'auditor',
      });
      expect(then.status).toBe(200);
      expect(then.body).toMatchObject({
        asOf: between,
        caseId,
        severity: 'C',
        status: 'open',
        revision: early[early.length - 1].revision,
        sla: {
          policyVersion: 'default-2026-11',
          initialResponse: { severity: 'C', state: 'running', clockId: early[2].data.clockId },
        },
      });
      expect(then.body.resolvedAt).toBeNull();

      const later = await service.request(
        'GET',
        `/v1/cases/${caseId}/state?asOf=${encodeURIComponent(new Date().toISOString())}`,
        { key: 'auditor' },
      );
      expect(later.body).toMatchObject({ severity: 'A', status: 'resolved', revision: now.revision });
    });

    it('400 for a malformed or missing asOf, 404 before the case existed and for an unknown case', async () => {
      const { caseId } = await submitCase(service);
      expectProblem(await service.request('GET', `/v1/cases/${caseId}/state?asOf=yesterday`), 400, ['asOf']);
      expectProblem(await service.request('GET', `/v1/cases/${caseId}/state?asOf=2026-13-45T99:00:00Z`), 400, ['asOf']);
      expectProblem(await service.request('GET', `/v1/cases/${caseId}/state`), 400, ['asOf']);
      expectProblem(await service.request('GET', `/v1/cases/${caseId}/state?asOf=2020-01-01T00:00:00Z`), 404);
      expectProblem(
        await service.request(
          'GET',
          `/v1/cases/00000000-0000-4000-8000-000000000000/state?asOf=${encodeURIComponent(new Date().toISOString())}`,
        ),
        404,
      );
    });
  });

  describe('Idempotency-Key', () => {
    it('on POST /v1/cases: the same key and body answer the same case and reference and write nothing; a different body is a 422', async () => {
      const key = `submit-${unique()}`;
      const body = caseBody({ proposedSeverity: 'B' });
      const first = await service.request('POST', '/v1/cases', { body, headers: { 'idempotency-key': key } });
      expect(first.status).toBe(201);
      const before = await snapshot(service, first.body.caseId);
      const eventsBefore = await totalEvents(service);

      const second = await service.request('POST', '/v1/cases', { body, headers: { 'idempotency-key': key } });
      expect(second.status).toBe(201);
      expect(second.body).toEqual(first.body);
      expect(second.headers.get('etag')).toBe(first.headers.get('etag'));
      expect(second.headers.get('idempotent-replayed')).toBe('true');
      await expectHistoryUnchanged(service, first.body.caseId, before);
      expect(await totalEvents(service)).toBe(eventsBefore);

      const different = await service.request('POST', '/v1/cases', {
        body: { ...body, summary: 'something else' },
        headers: { 'idempotency-key': key },
      });
      expectProblem(different, 422);
      expect(await totalEvents(service)).toBe(eventsBefore);

      // Without the key the same body is a new case.
      const fresh = await submitCase(service, { proposedSeverity: 'B' });
      expect(fresh.caseId).not.toBe(first.body.caseId);
    });

    it('on a case command: a repeated update with the same key is sent once', async () => {
      const { caseId } = await submitCase(service);
      const send = () =>
        service.request('POST', `/v1/cases/${caseId}/updates`, {
          body: { channel: 'email', summary: 'once' },
          headers: { 'idempotency-key': `upd-${caseId}` },
        });
      const first = await send();
      const second = await send();
      expect([first.status, second.status]).toEqual([201, 201]);
      expect(second.body).toEqual(first.body);
      expect(types(await history(service, caseId)).filter((t) => t === 'UpdateSent')).toHaveLength(1);
    });
  });
});
