import { DateTime } from 'luxon';
import { createClockCalculator, previewClocks } from '../../libs/domain/sla/clock-calculator';
import { DEFAULT_SLA_POLICY } from '../../libs/domain/sla/policy';
import type { CalendarLocation, ClockKind, Severity } from '../../libs/domain/sla/sla-clock';
import { caseDecider } from '../../libs/domain/case/case.decider';
import { CaseCommand, SubmitCase } from '../../libs/domain/case/case.commands';
import { CaseEvent, SlaClockResumed, SlaClockStarted } from '../../libs/domain/case/case.events';
import { Case, CaseState } from '../../libs/domain/case/case.state';
import { slaAsOf } from '../../libs/domain/case/sla-as-of';
import { nextAvailableEngineer } from '../../libs/domain/case/next-engineer';

/**
 * The worked examples of docs/domain.md (and the preview of docs/api.md), computed with the real
 * decider and the built-in policy's calculator. A change of a rule that moves one of these
 * instants must change the document too.
 */
const calculator = createClockCalculator(DEFAULT_SLA_POLICY);
const PARIS: CalendarLocation = { timeZone: 'Europe/Paris', country: 'FR' };
/** A local wall-clock time in the zone, as the UTC instant the service records. */
const at = (local: string, zone = 'Europe/Paris') => DateTime.fromISO(local, { zone }).toUTC().toISO()!;

function clock(kind: ClockKind, severity: Severity, local: string, location: CalendarLocation = PARIS) {
  const due = calculator.clockFor(kind, severity, at(local, location.timeZone), location);
  return { warnAt: due.warnAt, dueAt: due.dueAt, escalateAt: due.escalateAt };
}

function submission(overrides: Partial<SubmitCase['data']> = {}): SubmitCase['data'] {
  return {
    caseId: 'case-1',
    reference: 'SR-261116-AAAAAA',
    submittedBy: 'contoso-portal',
    partnerId: 'p-contoso',
    product: 'office365',
    requestType: 'repair',
    submitterRole: 'admin',
    topic: 'Exchange Online',
    feature: 'mail flow',
    symptom: 'cannot send',
    summary: 'mail down',
    details: '',
    serviceUnavailable: true,
    usersAffected: 250,
    contact: { name: 'Jo Doe', email: 'jo@contoso.example', timeZone: 'Europe/Paris', country: 'FR' },
    partnerAvailable24x7: true,
    ...overrides,
  };
}

/** A case driven through the decider; each step returns the events it recorded. */
class CaseRun {
  state: CaseState = null;
  do(local: string, command: CaseCommand): CaseEvent[] {
    const events = caseDecider.decide(command, this.state, { now: at(local), clocks: calculator });
    this.state = events.reduce(caseDecider.evolve, this.state);
    return events;
  }
  submit(local: string, overrides: Partial<SubmitCase['data']> = {}): CaseEvent[] {
    return this.do(local, { type: 'SubmitCase', data: submission(overrides) });
  }
  get case(): Case {
    return this.state as Case;
  }
}
const started = (events: CaseEvent[]) => events.find((e): e is SlaClockStarted => e.type === 'SlaClockStarted')?.data;
const resumed = (events: CaseEvent[]) => events.find((e): e is SlaClockResumed => e.type === 'SlaClockResumed')?.data;
const types = (events: CaseEvent[]) => events.map((e) => e.type);

describe('docs/domain.md: calendars', () => {
  it('B, Friday 16:30 Paris: due Monday 10:30 (warning 10:00, escalation 11:30)', () => {
    expect(clock('initialResponse', 'B', '2026-11-13T16:30')).toEqual({
      warnAt: at('2026-11-16T10:00'),
      dueAt: at('2026-11-16T10:30'),
      escalateAt: at('2026-11-16T11:30'),
    });
  });

  it('public holidays, daylight saving and regions', () => {
    expect(clock('initialResponse', 'B', '2026-11-10T16:30').dueAt).toBe(at('2026-11-12T10:30')); // Armistice Day
    expect(clock('initialResponse', 'B', '2026-12-24T16:30').dueAt).toBe(at('2026-12-28T10:30')); // Christmas
    expect(clock('initialResponse', 'B', '2026-10-23T16:30').dueAt).toBe('2026-10-26T09:30:00.000Z'); // summer time ends
    const sydney = { timeZone: 'Australia/Sydney', country: 'AU' };
    expect(clock('initialResponse', 'B', '2026-10-02T16:00', { ...sydney, region: 'NSW' }).dueAt).toBe(
      at('2026-10-06T10:00', 'Australia/Sydney'),
    );
    expect(clock('initialResponse', 'B', '2026-10-02T16:00', sydney).dueAt).toBe(
      at('2026-10-05T10:00', 'Australia/Sydney'),
    );
    expect(clock('initialResponse', 'B', '2026-10-02T16:00', { ...sydney, region: 'VIC' }).dueAt).toBe(
      at('2026-10-05T10:00', 'Australia/Sydney'),
    );
  });

  it('C and the business-day cadences', () => {
    expect(clock('initialResponse', 'C', '2026-11-16T15:00').dueAt).toBe(at('2026-11-17T11:00'));
    expect(clock('nextUpdate', 'B', '2026-11-19T15:00')).toMatchObject({
      warnAt: at('2026-11-20T13:00'),
      dueAt: at('2026-11-20T15:00'),
    });
    expect(clock('nextUpdate', 'B', '2026-11-20T15:00').dueAt).toBe(at('2026-11-23T15:00'));
    expect(clock('nextUpdate', 'B', '2026-11-20T18:00').dueAt).toBe(at('2026-11-24T09:00'));
    expect(clock('nextUpdate', 'B', '2026-12-24T15:00').dueAt).toBe(at('2026-12-28T15:00'));
    expect(clock('nextUpdate', 'C', '2026-11-18T11:00').dueAt).toBe(at('2026-11-23T11:00'));
  });

  it('A runs 24x7', () => {
    expect(clock('initialResponse', 'A', '2026-11-14T02:00')).toEqual({
      warnAt: at('2026-11-14T02:45'),
      dueAt: at('2026-11-14T03:00'),
      escalateAt: at('2026-11-14T04:00'),
    });
    expect(clock('nextUpdate', 'A', '2026-11-16T10:40')).toEqual({
      warnAt: at('2026-11-16T12:10'),
      dueAt: at('2026-11-16T12:40'),
      escalateAt: at('2026-11-16T13:40'),
    });
  });

  it("api.md's preview example and the built-in policy's hash", () => {
    expect(previewClocks(calculator, 'B', '2026-11-13T15:30:00.000Z', PARIS)).toEqual({
      policyVersion: 'default-2026-11',
      policyHash: 'sha256:dc401a56ee63b6f8bd434448348debe74138df2628134052c787b36aff250e34',
      initialResponse: { dueAt: '2026-11-16T09:30:00.000Z', warnAt: '2026-11-16T09:00:00.000Z' },
      update: { dueAt: '2026-11-16T15:30:00.000Z', warnAt: '2026-11-16T13:30:00.000Z' },
    });
  });
});

describe('docs/domain.md: severity, triage and the severity-change rule', () => {
  it('triage: untriaged B due 12:00, TriageAtRisk at 10:30, triaged C at 10:40 restarts from 10:00 (due 14:00)', () => {
    const run = new CaseRun();
    expect(started(run.submit('2026-11-16T10:00'))).toMatchObject({
      severity: 'B',
      dueAt: at('2026-11-16T12:00'),
      warnAt: at('2026-11-16T11:30'),
    });
    expect(run.case.triageDueAt).toBe(at('2026-11-16T10:30'));
    expect(types(run.do('2026-11-16T10:30', { type: 'RaiseTriageAlert', data: {} }))).toEqual(['TriageAtRisk']);
    const triage = run.do('2026-11-16T10:40', {
      type: 'AssignSeverity',
      data: { severity: 'C', reason: 'one user', by: 'alice' },
    });
    expect(started(triage)).toMatchObject({
      severity: 'C',
      startedAt: at('2026-11-16T10:00'),
      dueAt: at('2026-11-16T14:00'),
      warnAt: at('2026-11-16T13:00'),
      replacesClockId: 'initialResponse-1',
    });
    expect(run.case).toMatchObject({ triagedAt: at('2026-11-16T10:40'), triagedBy: 'alice' });
  });

  it('confirming the running severity is the triage and restarts nothing; a later A restarts from 10:00', () => {
    const run = new CaseRun();
    run.submit('2026-11-16T10:00', { proposedSeverity: 'B' });
    const confirm = run.do('2026-11-16T10:10', {
      type: 'AssignSeverity',
      data: { severity: 'B', reason: 'confirmed', by: 'alice' },
    });
    expect(confirm).toEqual([
      expect.objectContaining({
        type: 'SeverityAssigned',
        data: expect.objectContaining({ triage: true, previousSeverity: 'B' }),
      }),
    ]);
    expect(
      started(
        run.do('2026-11-16T10:20', { type: 'AssignSeverity', data: { severity: 'A', reason: 'worse', by: 'alice' } }),
      ),
    ).toMatchObject({ dueAt: at('2026-11-16T11:00') });
  });

  it('the 24x7 rule: a proposed A without 24x7 runs as B; withdrawing 24x7 on Saturday moves the due to Monday 11:00', () => {
    const lowered = new CaseRun();
    const events = lowered.submit('2026-11-16T10:00', { proposedSeverity: 'A', partnerAvailable24x7: false });
    expect(types(events)).toContain('SeverityLowered');
    expect(started(events)).toMatchObject({ severity: 'B', dueAt: at('2026-11-16T12:00') });

    const run = new CaseRun();
    expect(started(run.submit('2026-11-14T02:00', { proposedSeverity: 'A' }))).toMatchObject({
      dueAt: at('2026-11-14T03:00'),
    });
    const withdrawn = run.do('2026-11-14T02:30', {
      type: 'SetPartnerAvailability',
      data: { available24x7: false, by: 'contoso-portal' },
    });
    expect(started(withdrawn)).toMatchObject({
      severity: 'B',
      startedAt: at('2026-11-14T02:00'),
      dueAt: at('2026-11-16T11:00'),
    });
    expect(
      types(
        run.do('2026-11-14T02:40', {
          type: 'AssignSeverity',
          data: { severity: 'A', reason: 'critical', by: 'alice' },
        }),
      ),
    ).toEqual(['SeverityAssigned', 'SeverityLowered']);
  });

  it('B to C on a running next-update clock: restarted from Monday 10:30, due Thursday 10:30', () => {
    const run = new CaseRun();
    run.submit('2026-11-16T10:00', { proposedSeverity: 'B' });
    run.do('2026-11-16T10:30', { type: 'LogUpdate', data: { channel: 'email', summary: 'on it', by: 'alice' } });
    const change = run.do('2026-11-17T09:00', {
      type: 'AssignSeverity',
      data: { severity: 'C', reason: 'workaround', by: 'alice' },
    });
    expect(started(change)).toMatchObject({
      clockId: 'nextUpdate-3',
      replacesClockId: 'nextUpdate-2',
      startedAt: at('2026-11-16T10:30'),
      dueAt: at('2026-11-19T10:30'),
    });
  });
});

describe('docs/domain.md: waiting on the partner, reopening, breaches, as-of', () => {
  function waiting(severity: Severity, submittedAt: string, answeredAt: string, pausedAt: string): CaseRun {
    const run = new CaseRun();
    run.submit(submittedAt, { proposedSeverity: severity });
    run.do(answeredAt, { type: 'LogUpdate', data: { channel: 'email', summary: 'first', by: 'alice' } });
    run.do(pausedAt, {
      type: 'AwaitPartner',
      data: { reason: 'information-requested', summary: 'logs please', by: 'alice' },
    });
    return run;
  }

  it('B paused Friday 15:00, reply Monday 11:00: PT4H, due Monday 15:00 becomes Tuesday 11:00', () => {
    const run = waiting('B', '2026-11-19T15:00', '2026-11-19T15:30', '2026-11-20T15:00');
    expect(run.case.sla.nextUpdate).toMatchObject({ state: 'paused', dueAt: at('2026-11-23T15:00') });
    const pausedTime = (c: { severity: Severity }, from: string, to: string) =>
      calculator.clockTimeBetween(c.severity, from, to, PARIS);
    expect(slaAsOf(run.case, at('2026-11-23T10:00'), pausedTime).nextUpdate?.pausedFor).toBe('PT3H');
    const reply = run.do('2026-11-23T11:00', {
      type: 'RecordPartnerReply',
      data: { summary: 'here', by: 'contoso-portal' },
    });
    expect(resumed(reply)).toMatchObject({
      pausedFor: 'PT4H',
      dueAt: at('2026-11-24T11:00'),
      warnAt: at('2026-11-23T17:00'),
      escalateAt: at('2026-11-24T12:00'),
    });
    expect(run.case.status).toBe('open');
  });

  it('A: the same pause counts 68 hours (due Monday 13:00)', () => {
    const run = waiting('A', '2026-11-20T14:00', '2026-11-20T14:30', '2026-11-20T15:00');
    expect(resumed(run.do('2026-11-23T11:00', { type: 'ResumeClock', data: { by: 'alice' } }))).toMatchObject({
      pausedFor: 'PT68H',
      dueAt: at('2026-11-23T13:00'),
    });
  });

  it('auto-resume after P5D: C paused Monday 10:30, resumed Saturday 10:30 (PT38H30M), due Wednesday 17:00', () => {
    const run = new CaseRun();
    run.submit('2026-11-16T10:00', { proposedSeverity: 'C' });
    run.do('2026-11-16T10:30', {
      type: 'AwaitPartner',
      data: { reason: 'customer-approval', summary: 'approve?', by: 'alice' },
    });
    expect(() => run.do('2026-11-20T10:30', { type: 'AutoResumeClock', data: { clockId: 'nextUpdate-2' } })).toThrow(
      /not due before/,
    );
    const auto = run.do('2026-11-21T10:30', { type: 'AutoResumeClock', data: { clockId: 'nextUpdate-2' } });
    expect(resumed(auto)).toMatchObject({
      cause: 'auto-resume',
      by: 'system',
      pausedFor: 'PT38H30M',
      dueAt: at('2026-11-25T17:00'),
    });
  });

  it('reopening a never-answered A case resumes the time it had left: due 14:10, not 15:00', () => {
    const run = new CaseRun();
    run.submit('2026-11-16T10:00', { proposedSeverity: 'A' });
    run.do('2026-11-16T10:50', { type: 'ResolveCase', data: { summary: 'fixed', by: 'alice' } });
    expect(
      resumed(run.do('2026-11-16T14:00', { type: 'ReopenCase', data: { reason: 'back', by: 'alice' } })),
    ).toMatchObject({ pausedFor: 'PT3H10M', dueAt: at('2026-11-16T14:10') });
  });

  it('breaches are facts: a resolution records the missed breach first, and a reopening keeps it', () => {
    const run = new CaseRun();
    run.submit('2026-11-16T10:00', { proposedSeverity: 'A' });
    const resolved = run.do('2026-11-16T11:20', { type: 'ResolveCase', data: { summary: 'fixed', by: 'alice' } });
    expect(resolved[0]).toMatchObject({
      type: 'SlaBreached',
      data: { detectedBy: 'catch-up', breachedAt: at('2026-11-16T11:00') },
    });
    expect(
      resumed(run.do('2026-11-16T11:30', { type: 'ReopenCase', data: { reason: 'back', by: 'alice' } })),
    ).toMatchObject({ dueAt: at('2026-11-16T11:10') });
    expect(run.case.sla.initialResponse?.state).toBe('breached');
    expect(run.case.slaBreaches).toHaveLength(1);
  });

  it('a late answer: the update records the breach first; the clock stays breached with metAt', () => {
    const run = new CaseRun();
    run.submit('2026-11-16T16:30', { proposedSeverity: 'B' });
    const update = run.do('2026-11-17T10:45', {
      type: 'LogUpdate',
      data: { channel: 'email', summary: 'late', by: 'alice' },
    });
    expect(types(update)).toEqual(['SlaBreached', 'UpdateSent', 'SlaClockStarted']);
    expect(run.case.sla.initialResponse).toMatchObject({
      state: 'breached',
      breachedAt: at('2026-11-17T10:30'),
      metAt: at('2026-11-17T10:45'),
    });
    expect(started(update)).toMatchObject({ dueAt: at('2026-11-18T10:45') });
  });

  it('as-of: a late timer reads warning at 10:50 and breached at 11:05, recorded running', () => {
    const run = new CaseRun();
    run.submit('2026-11-16T10:00', { proposedSeverity: 'A' });
    expect(slaAsOf(run.case, at('2026-11-16T10:50')).initialResponse).toMatchObject({
      state: 'warning',
      recordedState: 'running',
    });
    expect(slaAsOf(run.case, at('2026-11-16T11:05')).initialResponse).toMatchObject({
      state: 'breached',
      recordedState: 'running',
    });
  });
});

describe('docs/domain.md: engineers and escalation', () => {
  it('automatic escalation: breach and reminder at 12:40, escalation at 13:40, once', () => {
    const run = new CaseRun();
    run.submit('2026-11-16T10:00', { proposedSeverity: 'A' });
    run.do('2026-11-16T10:05', {
      type: 'AssignEngineer',
      data: { engineerId: 'e-1', engineer: { engineerId: 'e-1', managerId: 'm-1' }, by: 'alice' },
    });
    run.do('2026-11-16T10:40', { type: 'LogUpdate', data: { channel: 'phone', summary: 'on it', by: 'alice' } });
    expect(types(run.do('2026-11-16T12:40', { type: 'RecordSlaBreach', data: { clockId: 'nextUpdate-2' } }))).toEqual([
      'SlaBreached',
      'UpdateReminderSent',
    ]);
    expect(run.do('2026-11-16T13:40', { type: 'EscalateOverdue', data: { clockId: 'nextUpdate-2' } })).toEqual([
      expect.objectContaining({
        type: 'EscalatedToManager',
        data: expect.objectContaining({
          managerId: 'm-1',
          automatic: true,
          reason: 'update overdue',
          clockId: 'nextUpdate-2',
        }),
      }),
    ]);
    expect(run.do('2026-11-16T13:41', { type: 'EscalateOverdue', data: { clockId: 'nextUpdate-2' } })).toEqual([]);
  });

  it('backup: e-1 away, its backup e-4 on shift gets the call (not e-2); else e-2', () => {
    const run = new CaseRun();
    run.submit('2026-11-16T10:00', { proposedSeverity: 'A' });
    run.do('2026-11-16T10:05', {
      type: 'AssignEngineer',
      data: {
        engineerId: 'e-1',
        engineer: { engineerId: 'e-1', managerId: 'm-1', backupEngineerId: 'e-4' },
        by: 'alice',
      },
    });
    const team = (e1: 'on-shift' | 'away', e4: 'on-shift' | 'off-shift') => [
      { engineerId: 'e-1', managerId: 'm-1', availability: e1, openSeverityACases: 1, backupEngineerId: 'e-4' },
      { engineerId: 'e-4', managerId: 'm-1', availability: e4, openSeverityACases: 2 },
      { engineerId: 'e-2', managerId: 'm-1', availability: 'on-shift' as const, openSeverityACases: 0 },
    ];
    const call = (candidates: ReturnType<typeof team>): CaseCommand => ({
      type: 'SeverityACall',
      data: { caller: 'Jo', candidates, callId: 'call-1', by: 'alice' },
    });
    const to = (candidates: ReturnType<typeof team>) =>
      caseDecider.decide(call(candidates), run.state, { now: at('2026-11-16T11:00'), clocks: calculator })[0];
    expect(to(team('away', 'on-shift'))).toMatchObject({
      data: { toEngineerId: 'e-4', reason: 'backup of e-1 (away), on shift' },
    });
    expect(to(team('away', 'off-shift'))).toMatchObject({ data: { toEngineerId: 'e-2' } });
    expect(to(team('on-shift', 'on-shift'))).toMatchObject({ data: { toEngineerId: 'e-2' } });
  });

  it('duty manager: no engineer, m-9 on duty at 13:40; nobody on duty: dutyManagerId null', () => {
    const run = new CaseRun();
    run.submit('2026-11-16T10:00', { proposedSeverity: 'A' });
    run.do('2026-11-16T10:40', { type: 'LogUpdate', data: { channel: 'phone', summary: 'on it', by: 'alice' } });
    const escalate = (dutyManagerId: string | null) =>
      caseDecider.decide({ type: 'EscalateOverdue', data: { clockId: 'nextUpdate-2', dutyManagerId } }, run.state, {
        now: at('2026-11-16T13:40'),
        clocks: calculator,
      });
    expect(escalate('m-9').at(-1)).toMatchObject({
      type: 'EscalatedToDutyManager',
      data: { engineerId: null, dutyManagerId: 'm-9', reason: 'update overdue; no engineer assigned' },
    });
    expect(escalate(null).at(-1)).toMatchObject({ type: 'EscalatedToDutyManager', data: { dutyManagerId: null } });
  });

  it('the next available engineer: on shift, not the current one, fewest open A cases, lowest id', () => {
    const candidates = [
      { engineerId: 'e-1', availability: 'away' as const, openSeverityACases: 0 },
      { engineerId: 'e-3', availability: 'on-shift' as const, openSeverityACases: 1 },
      { engineerId: 'e-2', availability: 'on-shift' as const, openSeverityACases: 1 },
    ];
    expect(nextAvailableEngineer(candidates, null)?.engineerId).toBe('e-2');
    expect(nextAvailableEngineer(candidates, 'e-2')?.engineerId).toBe('e-3');
  });

  it('routing and eligibility examples', () => {
    const routed = new CaseRun().submit('2026-11-16T10:00', { requestType: 'billing', product: 'parature' });
    expect(routed[1]).toMatchObject({ type: 'CaseRouted', data: { team: 'billing' } });
    const azure = new CaseRun().submit('2026-11-16T10:00', { product: 'azure', azure: { subscriptionId: 'sub-1' } });
    expect(azure[1]).toMatchObject({ type: 'CaseRejected', data: { reason: 'azure-access-id-missing' } });
    const rejected = azure[1];
    if (rejected.type !== 'CaseRejected') throw new Error('expected a rejection');
    expect(rejected.data.failures.map((f) => f.reason)).toEqual([
      'azure-access-id-missing',
      'azure-contract-id-missing',
    ]);
    const onBehalf = new CaseRun().submit('2026-11-16T10:00', { customerId: 'c-fabrikam' });
    expect(onBehalf[1]).toMatchObject({ type: 'CaseRejected', data: { reason: 'submitter-role-not-eligible' } });
    // Issue 13: partner of record, and the programme contract bound on first use.
    const contract = { accessId: 'SCS4F7Q2K9', contractId: '7205118' };
    const coAdmin = { product: 'azure', customerId: 'c-fabrikam', submitterRole: 'co-admin' } as const;
    const asPartnerOfRecord = new CaseRun().submit('2026-11-16T10:00', {
      ...coAdmin,
      azure: { subscriptionId: 'sub-1', ...contract },
      partnerOfRecord: true,
    });
    expect(asPartnerOfRecord[0]).toMatchObject({ type: 'CaseSubmitted', data: { partnerOfRecord: true } });
    expect(asPartnerOfRecord[1]).toMatchObject({ type: 'SeverityAssigned' });
    const notOfRecord = new CaseRun().submit('2026-11-16T10:00', {
      ...coAdmin,
      azure: { subscriptionId: 'sub-1', ...contract },
    });
    expect(notOfRecord[1]).toMatchObject({ type: 'CaseRejected', data: { reason: 'not-partner-of-record' } });
    expect(() =>
      new CaseRun().submit('2026-11-16T10:00', {
        product: 'azure',
        azure: { subscriptionId: 'sub-1', accessId: contract.accessId, contractId: '8000001' },
        partnerContract: contract,
      }),
    ).toThrow(
      'partner p-contoso is bound to programme contract 7205118 (its first use); this request names contract 8000001',
    );
  });
});

describe('docs/domain.md: customers and the billing path', () => {
  const assign: CaseCommand = {
    type: 'AssignEngineer',
    data: { engineerId: 'e-1', engineer: { engineerId: 'e-1', managerId: 'm-1' }, by: 'alice' },
  };
  const byCustomer: CaseCommand = {
    type: 'Escalate',
    data: { reason: 'nobody called back', by: 'fabrikam', byCustomer: true },
  };

  it("a customer's escalation: refused at 10:30 (due 11:00), recorded at 11:01, refused again at 11:10", () => {
    const run = new CaseRun();
    run.submit('2026-12-07T10:00', {
      proposedSeverity: 'A',
      customerId: 'c-fabrikam',
      submitterRole: 'delegated-admin',
    });
    run.do('2026-12-07T10:05', assign);
    expect(() => run.do('2026-12-07T10:30', byCustomer)).toThrow(
      `the initial response on case SR-261116-AAAAAA is not due before ${at('2026-12-07T11:00')}`,
    );
    expect(run.do('2026-12-07T11:01', byCustomer)).toEqual([
      expect.objectContaining({
        type: 'EscalatedToManager',
        data: expect.objectContaining({
          managerId: 'm-1',
          automatic: false,
          noProgress: { clockId: 'initialResponse-1', clock: 'initialResponse', dueAt: at('2026-12-07T11:00') },
        }),
      }),
    ]);
    expect(() => run.do('2026-12-07T11:10', byCustomer)).toThrow(
      `already escalated to the manager at ${at('2026-12-07T11:01')}`,
    );
  });

  it('an update at 10:40 is progress: the customer may escalate from 12:40', () => {
    const run = new CaseRun();
    run.submit('2026-12-07T10:00', {
      proposedSeverity: 'A',
      customerId: 'c-fabrikam',
      submitterRole: 'delegated-admin',
    });
    run.do('2026-12-07T10:05', assign);
    run.do('2026-12-07T10:40', { type: 'LogUpdate', data: { channel: 'phone', summary: 'on it', by: 'alice' } });
    expect(() => run.do('2026-12-07T12:39', byCustomer)).toThrow(`not due before ${at('2026-12-07T12:40')}`);
    expect(types(run.do('2026-12-07T12:40', byCustomer))).toEqual(['EscalatedToManager']);
  });

  it('the billing path: routed to billing, escalated at 15:00 to the feedback address, not twice', () => {
    const run = new CaseRun();
    expect(run.submit('2026-11-16T10:00', { requestType: 'billing' })[1]).toMatchObject({
      type: 'CaseRouted',
      data: { team: 'billing' },
    });
    const escalate: CaseCommand = {
      type: 'EscalateToBillingFeedback',
      data: { reason: 'the invoice is still wrong', by: 'portal-contoso', address: 'billing-feedback@vendor.example' },
    };
    expect(run.do('2026-11-16T15:00', escalate)).toEqual([
      {
        type: 'EscalatedToBillingFeedback',
        data: {
          caseId: 'case-1',
          address: 'billing-feedback@vendor.example',
          reason: 'the invoice is still wrong',
          by: 'portal-contoso',
          at: at('2026-11-16T15:00'),
        },
      },
    ]);
    expect(run.case.status).toBe('routed');
    expect(() => run.do('2026-11-16T16:00', escalate)).toThrow(
      `already escalated to the billing feedback address billing-feedback@vendor.example at ${at('2026-11-16T15:00')}`,
    );
  });
});
