import { startTestService, TestService } from '../support/test-service';
import {
  command,
  engineersAt,
  expectHistoryUnchanged,
  expectProblem,
  getCase,
  history,
  registerEngineer,
  setAvailability,
  snapshot,
  submitCase,
  unique,
} from '../support/case-fixtures';
import { sample } from '../support/metrics-text';

/**
 * Issue 13, items 1-3 over HTTP: decisions on engineers' current facts, the backup and the duty
 * manager, forced assignments, the support team's call queue. Every severity-A call considers all
 * engineers of the service, so each test leaves its engineers off shift.
 */
describe('the escalation path and the call queue over HTTP (embedded store)', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService();
  });
  afterAll(() => service.close());

  const offShift = (...ids: string[]) => allOffShift(service, ids);
  const nameBackup = (engineerId: string, backupEngineerId: string | null, key: 'support' | 'admin' = 'support') =>
    service.request('PUT', `/v1/engineers/${engineerId}/backup`, { key, body: { backupEngineerId } });

  describe('decisions on current facts', () => {
    it('availability changed, then an immediate call, in a loop: never transferred to an engineer not on shift', () =>
      availabilityThenCall(service));
  });

  describe('the backup and the whole path', () => {
    it('names a backup (validated: it exists, it is not the engineer), shown by GET /v1/engineers', async () => {
      const p = `bk${unique()}`;
      const [manager, engineer, backup] = [`${p}-m`, `${p}-e`, `${p}-b`];
      await registerEngineer(service, manager);
      await registerEngineer(service, engineer, manager);
      await registerEngineer(service, backup, manager);

      expectProblem(await nameBackup(engineer, `${p}-ghost`), 404);
      expectProblem(await nameBackup(engineer, engineer), 400);
      expectProblem(await nameBackup(`${p}-ghost`, backup), 404);
      expectProblem(
        await service.request('PUT', `/v1/engineers/${engineer}/backup`, { key: 'support', body: {} }),
        400,
        ['backupEngineerId'],
      );
      expectProblem(await nameBackup(engineer, backup, 'auditor' as 'support'), 403);

      const named = await nameBackup(engineer, backup);
      expect(named.status).toBe(200);
      expect(named.body).toMatchObject({ engineerId: engineer, backupEngineerId: backup, revision: 1 });
      const list = await engineersAt(service, named.body.position);
      expect(list.find((e) => e.engineerId === engineer)).toMatchObject({ backupEngineerId: backup });

      const removed = await nameBackup(engineer, null);
      expect(removed.body).toMatchObject({ backupEngineerId: null, revision: 2 });

      // Named at registration too (POST /v1/engineers `backupEngineerId`), with the same checks.
      const register = (engineerId: string, backupEngineerId: string) =>
        service.request('POST', '/v1/engineers', {
          key: 'admin',
          body: {
            engineerId,
            name: 'N',
            email: 'n@example.com',
            managerId: manager,
            backupEngineerId,
            timeZone: 'UTC',
          },
        });
      expectProblem(await register(`${p}-x`, `${p}-ghost`), 404);
      expectProblem(await register(`${p}-x`, `${p}-x`), 400);
      const withBackup = await register(`${p}-y`, backup);
      expect(withBackup.status).toBe(201);
      const listed = await engineersAt(service, withBackup.body.position);
      expect(listed.find((e) => e.engineerId === `${p}-y`)).toMatchObject({ backupEngineerId: backup });
    });

    it('the case shows engineer, backup and manager; a call while the engineer is away goes to the on-shift backup, else the next available', async () => {
      const p = `path${unique()}`;
      const [manager, engineer, backup, spare] = [`${p}-m`, `${p}-e`, `${p}-b`, `${p}-s`];
      await registerEngineer(service, manager);
      for (const id of [engineer, backup, spare]) await registerEngineer(service, id, manager);
      expect((await nameBackup(engineer, backup)).status).toBe(200);
      await setAvailability(service, engineer, 'on-shift');

      // The backup holds another severity-A case: by workload alone the call would go to `spare`.
      const busy = await submitCase(service, { proposedSeverity: 'A' });
      await setAvailability(service, backup, 'on-shift');
      await command(service, busy.caseId, 'assignment', { engineerId: backup });

      const { caseId } = await submitCase(service, { proposedSeverity: 'A' });
      const assigned = await command(service, caseId, 'assignment', { engineerId: engineer });
      expect(assigned.body).toMatchObject({ engineerId: engineer, backupEngineerId: backup, managerId: manager });
      expect(await getCase(service, caseId)).toMatchObject({
        engineerId: engineer,
        backupEngineerId: backup,
        managerId: manager,
      });

      await setAvailability(service, spare, 'on-shift');
      await setAvailability(service, engineer, 'away');
      const toBackup = await command(service, caseId, 'severity-a-calls', { caller: 'Jo' });
      expect(toBackup.body).toMatchObject({
        queued: false,
        fromEngineerId: engineer,
        toEngineerId: backup,
        reason: `backup of ${engineer} (away), on shift`,
      });

      // Now with the backup: its own backup is not named, so the next available engineer.
      await setAvailability(service, backup, 'off-shift');
      const toNext = await command(service, caseId, 'severity-a-calls', { caller: 'Jo' });
      expect(toNext.body).toMatchObject({ fromEngineerId: backup, toEngineerId: spare });

      // And when the engineer's backup is not on shift: the next available too.
      await command(service, caseId, 'assignment', { engineerId: engineer, force: true, reason: 'back to the owner' });
      await setAvailability(service, spare, 'on-shift');
      const skipped = await command(service, caseId, 'severity-a-calls', { caller: 'Jo' });
      expect(skipped.body).toMatchObject({ fromEngineerId: engineer, toEngineerId: spare });
      await offShift(engineer, backup, spare);
    });
  });

  describe('assigning a severity-A case', () => {
    it('to an engineer off shift or away: 409 that writes nothing, unless forced with a reason (recorded)', async () => {
      const p = `force${unique()}`;
      const [manager, engineer] = [`${p}-m`, `${p}-e`];
      await registerEngineer(service, manager);
      await registerEngineer(service, engineer, manager);
      const { caseId } = await submitCase(service, { proposedSeverity: 'A' });

      const before = await snapshot(service, caseId);
      const refused = await service.request('POST', `/v1/cases/${caseId}/assignment`, {
        body: { engineerId: engineer },
      });
      expectProblem(refused, 409);
      expect(refused.body.detail).toMatch(/off-shift: a severity-A case goes to an engineer on shift/);
      await expectHistoryUnchanged(service, caseId, before);

      await setAvailability(service, engineer, 'away');
      const away = await service.request('POST', `/v1/cases/${caseId}/assignment`, { body: { engineerId: engineer } });
      expectProblem(away, 409);
      const noReason = await service.request('POST', `/v1/cases/${caseId}/assignment`, {
        body: { engineerId: engineer, force: true },
      });
      expectProblem(noReason, 400, ['reason']);
      await expectHistoryUnchanged(service, caseId, before);

      const forced = await command(service, caseId, 'assignment', {
        engineerId: engineer,
        force: true,
        reason: 'only they know this tenant',
      });
      expect(forced.body).toMatchObject({ engineerId: engineer, forced: true });
      expect((await history(service, caseId)).at(-1)).toMatchObject({
        type: 'EngineerAssigned',
        data: { engineerId: engineer, forced: { reason: 'only they know this tenant', availability: 'away' } },
      });

      // A severity-B case goes to an engineer off shift without a word.
      const b = await submitCase(service, { proposedSeverity: 'B' });
      const onB = await command(service, b.caseId, 'assignment', { engineerId: engineer });
      expect(onB.body).toMatchObject({ engineerId: engineer, forced: false });
      await offShift(engineer);
    });
  });

  describe('the duty manager', () => {
    it('GET/PUT /v1/duty-manager: an admin or manager sets a registered manager or nobody; others read', async () => {
      const p = `duty${unique()}`;
      const [manager, engineer] = [`${p}-m`, `${p}-e`];
      await registerEngineer(service, manager);
      await registerEngineer(service, engineer, manager);

      const initial = await service.request('GET', '/v1/duty-manager', { key: 'support' });
      expect(initial.status).toBe(200);
      expect(initial.body).toMatchObject({ engineerId: null });

      const put = (engineerId: unknown, key: 'admin' | 'manager' | 'support' = 'admin') =>
        service.request('PUT', '/v1/duty-manager', { key, body: { engineerId } });
      expectProblem(await put(manager, 'support'), 403);
      expectProblem(await put(`${p}-ghost`), 404);
      expectProblem(await put(engineer), 400);
      expectProblem(await put(42), 400, ['engineerId']);
      expectProblem(await service.request('PUT', '/v1/duty-manager', { key: 'admin', body: {} }), 400, ['engineerId']);

      const set = await put(manager);
      expect(set.status).toBe(200);
      expect(set.body).toMatchObject({ engineerId: manager, by: 'admin-1', revision: expect.any(Number) });
      expect((await service.request('GET', '/v1/duty-manager', { key: 'ops' })).body).toMatchObject({
        engineerId: manager,
        revision: set.body.revision,
      });
      const nobody = await put(null, 'manager');
      expect(nobody.body).toMatchObject({ engineerId: null, by: 'manager-1', revision: set.body.revision + 1 });
    });
  });

  describe('the call queue', () => {
    it('a B/C call is queued (oldest first, with waiting time, in metrics), taken once by an engineer', async () => {
      const p = `q${unique()}`;
      const [manager, engineer] = [`${p}-m`, `${p}-e`];
      await registerEngineer(service, manager);
      await registerEngineer(service, engineer, manager);
      const b = await submitCase(service, { proposedSeverity: 'B' });
      const c = await submitCase(service, { proposedSeverity: 'C' });

      const first = await command(service, b.caseId, 'severity-a-calls', { caller: 'Jo at Contoso' }, { status: 202 });
      expect(first.body).toMatchObject({ caseId: b.caseId, queued: true, callId: expect.any(String) });
      const second = await command(service, c.caseId, 'severity-a-calls', { caller: 'Sam' }, { status: 202 });

      const queue = await service.request('GET', `/v1/call-queue?consistentWith=${second.body.position}`, {
        key: 'manager',
      });
      expect(queue.status).toBe(200);
      expect(queue.body.items).toEqual([
        expect.objectContaining({
          callId: first.body.callId,
          caseId: b.caseId,
          reference: b.body.reference,
          severity: 'B',
          caller: 'Jo at Contoso',
          queuedBy: 'support-1',
          waitingSeconds: expect.any(Number),
        }),
        expect.objectContaining({ callId: second.body.callId, caseId: c.caseId, severity: 'C' }),
      ]);
      expect(queue.body.items[0].waitingSeconds).toBeGreaterThanOrEqual(0);
      expectProblem(await service.request('GET', '/v1/call-queue', { key: 'partner' }), 403);

      const metrics = await service.request('GET', '/metrics', { key: 'ops' });
      expect(sample(metrics.body, 'casetrail_call_queue_length')).toBe(2);
      expect(sample(metrics.body, 'casetrail_call_queue_oldest_waiting_seconds')).toBeGreaterThanOrEqual(0);

      const take = (callId: string, engineerId = engineer) =>
        service.request('POST', `/v1/call-queue/${callId}/taken`, { key: 'support', body: { engineerId } });
      expectProblem(await take(first.body.callId, `${p}-ghost`), 404);
      expectProblem(await take('0193a0c2-7d1e-7b3a-9c4d-5e6f7a8b9c0d'), 404);
      const taken = await take(first.body.callId);
      expect(taken.status).toBe(200);
      expect(taken.body).toMatchObject({ callId: first.body.callId, caseId: b.caseId, engineerId: engineer });
      expect(taken.body.waitedSeconds).toBeGreaterThanOrEqual(0);
      const before = await snapshot(service, b.caseId);
      const again = await take(first.body.callId, manager);
      expectProblem(again, 409);
      expect(again.body.detail).toMatch(new RegExp(`already taken by ${engineer}`));
      await expectHistoryUnchanged(service, b.caseId, before);

      const after = await service.request('GET', `/v1/call-queue?consistentWith=${taken.body.position}`, {
        key: 'auditor',
      });
      expect(after.body.items.map((i: { callId: string }) => i.callId)).toEqual([second.body.callId]);
      const metricsAfter = await service.request('GET', '/metrics', { key: 'ops' });
      expect(sample(metricsAfter.body, 'casetrail_call_queue_length')).toBe(1);

      // A call queued a moment ago is taken at once (the queue's read model is waited for).
      const third = await command(service, c.caseId, 'severity-a-calls', { caller: 'Sam again' }, { status: 202 });
      expect((await take(third.body.callId)).status).toBe(200);
    });
  });
});

/**
 * Availability changed, then an immediate call, in a loop: the call must decide on the engineers
 * as of their latest events (the read model may not have the change yet). Leaves them off shift.
 */
async function availabilityThenCall(service: TestService): Promise<void> {
  const p = `loop${unique()}`;
  const manager = `${p}-m`;
  await registerEngineer(service, manager);
  const engineers = ['a', 'b', 'c'].map((s) => `${p}-${s}`);
  for (const id of engineers) await registerEngineer(service, id, manager);
  const { caseId } = await submitCase(service, { proposedSeverity: 'A' });
  await setAvailability(service, engineers[2], 'on-shift');
  await command(service, caseId, 'assignment', { engineerId: engineers[2] });

  for (let i = 0; i < 12; i++) {
    // The case is with engineers[(i + 2) % 3]; the call must go to `target`, the only other on shift.
    const target = engineers[i % 3];
    const other = engineers[(i + 1) % 3];
    await setAvailability(service, target, 'on-shift');
    // The change a moment before the call: the read model may not have it yet.
    await setAvailability(service, other, i % 2 ? 'away' : 'off-shift');
    const call = await service.request('POST', `/v1/cases/${caseId}/severity-a-calls`, {
      body: { caller: `loop ${i}` },
    });
    expect({ i, status: call.status, to: call.body.toEngineerId }).toEqual({ i, status: 201, to: target });
  }

  // Everyone but the case's engineer leaves just before the call: nobody available (409), nothing written.
  const holder = (await getCase(service, caseId)).engineerId;
  for (const id of engineers.filter((e) => e !== holder)) await setAvailability(service, id, 'on-shift');
  for (const id of engineers.filter((e) => e !== holder)) await setAvailability(service, id, 'away');
  const before = await snapshot(service, caseId);
  const nobody = await service.request('POST', `/v1/cases/${caseId}/severity-a-calls`, { body: { caller: 'x' } });
  expectProblem(nobody, 409);
  expect(nobody.body.detail).toMatch(/no engineer available/);
  await expectHistoryUnchanged(service, caseId, before);
  await allOffShift(service, engineers);
}

/** Every severity-A call considers every engineer: a test leaves its own off shift. */
async function allOffShift(service: TestService, ids: string[]): Promise<void> {
  for (const id of ids) await setAvailability(service, id, 'off-shift');
}

describe('the availability-then-call loop on PostgreSQL', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService({ store: 'postgres' });
  });
  afterAll(() => service?.close());

  it('never transfers to an engineer who is not on shift', () => availabilityThenCall(service));
});
