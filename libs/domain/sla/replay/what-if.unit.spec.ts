import { CaseCommand } from '../../case/case.commands';
import { caseDecider } from '../../case/case.decider';
import { CaseEvent } from '../../case/case.events';
import { CaseState } from '../../case/case.state';
import { randomCaseHistory, seededRandom } from '../../case/testing/random-history';
import { submission } from '../../case/testing/case.fixtures';
import { createClockCalculator } from '../clock-calculator';
import { DEFAULT_SLA_POLICY, SlaPolicy, parseSlaPolicy } from '../policy';
import { WhatIfRun } from './what-if';

const DAY = 24 * 3600_000;
const START = Date.parse('2026-09-01T00:00:00.000Z');
const END = Date.parse('2026-11-30T00:00:00.000Z');

/** A 24x7 policy (real time everywhere), so the expected instants below are plain arithmetic. */
function policy(version: string, initialResponse: string, update: string): SlaPolicy {
  const sev = { calendar: '24x7', initialResponse, update };
  return parseSlaPolicy(
    {
      version,
      warnAt: 0.75,
      escalateAfterOverdue: 'PT1H',
      businessCalendar: { week: { mon: ['09:00-17:00'] }, publicHolidays: false },
      severities: { A: sev, B: sev, C: sev },
    },
    version,
  );
}

/** Runs commands through the real decider at the given minutes after `t0`. */
function history(
  caseId: string,
  calc: ReturnType<typeof createClockCalculator>,
  t0: string,
  steps: Array<[number, CaseCommand]>,
): CaseEvent[] {
  let state: CaseState = null;
  const events: CaseEvent[] = [];
  for (const [minutes, command] of steps) {
    const now = new Date(Date.parse(t0) + minutes * 60_000).toISOString();
    for (const event of caseDecider.decide(command, state, { now, clocks: calc })) {
      state = caseDecider.evolve(state, event);
      events.push(event);
    }
  }
  return events;
}

const submit = (caseId: string): CaseCommand => ({
  type: 'SubmitCase',
  data: submission({ caseId, reference: `SR-${caseId}`, proposedSeverity: 'A' }),
});
const update: CaseCommand = { type: 'LogUpdate', data: { channel: 'email', summary: 'on it', by: 'support:alice' } };
const breachTimer = (clockId: string): CaseCommand => ({ type: 'RecordSlaBreach', data: { clockId } });

describe('what-if: a proposed policy replayed over recorded histories', () => {
  it('a tighter policy turns known met clocks into breaches, a looser one the reverse, naming the cases', () => {
    const current = createClockCalculator(policy('current', 'PT1H', 'PT4H'));
    const t0 = '2026-11-02T10:00:00.000Z';
    // answered after 50 min: met under PT1H, breached under PT30M, met under PT2H.
    const metAt50 = history('case-met-50', current, t0, [
      [0, submit('case-met-50')],
      [50, update],
      [150, { type: 'ResolveCase', data: { summary: 'ok', by: 'support:alice' } }],
    ]);
    // answered after 90 min: the breach timer fired at 60 min; met under PT2H only.
    const lateAt90 = history('case-late-90', current, t0, [
      [0, submit('case-late-90')],
      [60, breachTimer('initialResponse-1')],
      [90, update],
      [150, { type: 'ResolveCase', data: { summary: 'ok', by: 'support:alice' } }],
    ]);
    // answered after 20 min: met under every policy here.
    const metAt20 = history('case-met-20', current, t0, [
      [0, submit('case-met-20')],
      [20, update],
      [150, { type: 'ResolveCase', data: { summary: 'ok', by: 'support:alice' } }],
    ]);
    const all = [...metAt50, ...lateAt90, ...metAt20];
    expect(all.filter((e) => e.type === 'SlaBreached').map((e) => e.data.caseId)).toEqual(['case-late-90']);
    const asOf = '2026-11-10T00:00:00.000Z';

    const run = (proposed: SlaPolicy) => {
      const whatIf = new WhatIfRun(createClockCalculator(proposed));
      all.forEach((e) => whatIf.apply(e));
      return whatIf.finish(asOf);
    };

    const tighter = run(policy('tighter', 'PT30M', 'PT4H'));
    expect(tighter.changes.map((c) => [c.caseId, c.clockId, c.change])).toEqual([
      ['case-met-50', 'initialResponse-1', 'newly-breached'],
    ]);
    expect(tighter.changes[0].current).toEqual({ severity: 'A', dueAt: '2026-11-02T11:00:00.000Z', outcome: 'met' });
    expect(tighter.changes[0].proposed).toEqual({
      severity: 'A',
      dueAt: '2026-11-02T10:30:00.000Z',
      outcome: 'breached',
    });
    expect(tighter.newlyBreached).toEqual({ clocks: 1, cases: 1 });
    expect(tighter.noLongerBreached).toEqual({ clocks: 0, cases: 0 });
    expect(tighter.current.breached).toBe(1);
    expect(tighter.proposed.breached).toBe(2);
    expect(tighter.agreement).toMatchObject({ casesCompared: 0, mismatchCount: 0 });
    // The same histories under their own policy: exactly the recorded breach.
    expect(run(policy('current', 'PT1H', 'PT4H')).agreement).toMatchObject({
      casesCompared: 3,
      recordedBreaches: 1,
      replayedBreaches: 1,
      mismatchCount: 0,
      pendingTimers: 0,
    });

    const looser = run(policy('looser', 'PT2H', 'PT4H'));
    expect(looser.changes.map((c) => [c.caseId, c.clockId, c.change])).toEqual([
      ['case-late-90', 'initialResponse-1', 'no-longer-breached'],
    ]);
    expect(looser.changes[0].current).toEqual({
      severity: 'A',
      dueAt: '2026-11-02T11:00:00.000Z',
      outcome: 'breached',
    });
    expect(looser.changes[0].proposed).toEqual({ severity: 'A', dueAt: '2026-11-02T12:00:00.000Z', outcome: 'met' });
    expect(looser.proposed.breached).toBe(0);
    expect(looser.bySeverity.A.current.breached).toBe(1);
    expect(looser.bySeverity.A.proposed.breached).toBe(0);
  });

  it('a looser policy restarts, on a severity change, a clock the live system had breached (and so kept)', () => {
    const current = createClockCalculator(policy('current', 'PT1H', 'PT4H'));
    const t0 = '2026-11-02T10:00:00.000Z';
    const events = history('case-restart', current, t0, [
      [0, submit('case-restart')],
      [60, breachTimer('initialResponse-1')],
      [62, { type: 'AssignSeverity', data: { severity: 'C', reason: 'minor', by: 'support:alice' } }],
      [100, update],
    ]);
    // Live: breached at 60, not restarted at 62 (a breach is a fact), answered late at 100.
    expect(events.filter((e) => e.type === 'SlaClockStarted').map((e) => e.data.clockId)).toEqual([
      'initialResponse-1',
      'nextUpdate-2',
    ]);
    const looserForC = parseSlaPolicy(
      {
        ...JSON.parse(JSON.stringify(policy('looser-c', 'PT1H', 'PT4H'))),
        severities: {
          A: { calendar: '24x7', initialResponse: 'PT1H5M', update: 'PT4H' },
          B: { calendar: '24x7', initialResponse: 'PT1H', update: 'PT4H' },
          C: { calendar: '24x7', initialResponse: 'PT2H', update: 'PT4H' },
        },
      },
      'looser-c',
    );
    const whatIf = new WhatIfRun(createClockCalculator(looserForC));
    events.forEach((e) => whatIf.apply(e));
    const result = whatIf.finish('2026-11-02T12:00:00.000Z');
    // Under A: PT1H5M, still unbreached at 62, restarted under C (PT2H from 10:00): met at 100.
    expect(result.changes).toEqual([
      expect.objectContaining({
        caseId: 'case-restart',
        clockId: 'initialResponse-1',
        change: 'no-longer-breached',
        proposed: { severity: 'C', dueAt: '2026-11-02T12:00:00.000Z', outcome: 'met' },
      }),
    ]);
  });

  it('under the current policy, the replay of a few thousand random commands reproduces exactly the recorded breaches', () => {
    const calc = createClockCalculator(DEFAULT_SLA_POLICY);
    const random = seededRandom(16);
    const engineers = [
      { engineerId: 'e-1', managerId: 'm-1' },
      { engineerId: 'e-2', managerId: 'm-1' },
    ];
    const events: CaseEvent[] = [];
    let commands = 0;
    for (let i = 0; i < 300; i++) {
      const startMs = START + Math.floor(random() * 60) * DAY + Math.floor(random() * 24 * 60) * 60_000;
      const n = 5 + Math.floor(random() * 15);
      commands += n + 1;
      const h = randomCaseHistory({
        caseId: `case-${i}`,
        partnerId: `p-${i % 7}`,
        engineers,
        startMs,
        endMs: END,
        commands: n,
        random,
        clocks: calc,
      });
      events.push(...h.map((d) => d.event));
    }
    expect(commands).toBeGreaterThan(3000);
    const recorded = events.filter((e) => e.type === 'SlaBreached').length;
    expect(recorded).toBeGreaterThan(50);
    expect(events.some((e) => e.type === 'SlaClockResumed')).toBe(true);
    expect(events.some((e) => e.type === 'SlaClockStarted' && e.data.replacesClockId !== null)).toBe(true);

    const whatIf = new WhatIfRun(calc);
    events.forEach((e) => whatIf.apply(e));
    const result = whatIf.finish(new Date(END).toISOString());
    expect(result.agreement.mismatches).toEqual([]);
    expect(result.agreement).toMatchObject({
      casesCompared: 300,
      recordedBreaches: recorded,
      replayedBreaches: recorded,
      pendingTimers: 0,
      mismatchCount: 0,
    });
    expect(result.changes).toEqual([]);
    expect(result.proposed).toEqual(result.current);
  });

  it('a breach recorded after other events of its case agrees; one a later decision should have recorded does not', () => {
    const calc = createClockCalculator(policy('current', 'PT1H', 'PT4H'));
    const t0 = '2026-11-02T10:00:00.000Z';
    const reply: CaseCommand = { type: 'RecordPartnerReply', data: { summary: 'any news?', by: 'partner:contoso' } };
    const resolve: CaseCommand = { type: 'ResolveCase', data: { summary: 'ok', by: 'support:alice' } };
    // Due at 60 min: the partner writes at 61, the breach timer runs (late) at 63.
    const timerAfterReply = history('case-a', calc, t0, [
      [0, submit('case-a')],
      [61, reply],
      [63, breachTimer('initialResponse-1')],
    ]);
    // The partner writes at 61; the timer has not run when the replay ends.
    const timerNotYet = history('case-b', calc, t0, [
      [0, submit('case-b')],
      [61, reply],
    ]);
    // Resolved at 61 with its breach recorded first (the decider's catch-up) ...
    const caughtUp = history('case-c', calc, t0, [
      [0, submit('case-c')],
      [61, resolve],
    ]);
    expect(caughtUp.map((e) => e.type)).toEqual(expect.arrayContaining(['SlaBreached', 'CaseResolved']));
    // ... and the same resolution as a store that lost that breach would hold it.
    const lost = history('case-d', calc, t0, [
      [0, submit('case-d')],
      [61, resolve],
    ]).filter((e) => e.type !== 'SlaBreached');

    const whatIf = new WhatIfRun(calc);
    [...timerAfterReply, ...timerNotYet, ...caughtUp, ...lost].forEach((e) => whatIf.apply(e));
    const { agreement } = whatIf.finish('2026-11-02T11:01:30.000Z');
    expect(agreement.mismatches).toEqual([
      { caseId: 'case-d', clockId: 'initialResponse-1', recorded: false, replayed: true },
    ]);
    expect(agreement).toMatchObject({
      casesCompared: 4,
      recordedBreaches: 2, // case-a (by its timer, after the reply) and case-c
      replayedBreaches: 4,
      pendingTimers: 1, // case-b
      mismatchCount: 1, // case-d
    });
  });

  it('letting go of the replays of idle cases changes no figure, over interleaved random histories with reopenings', () => {
    const calc = createClockCalculator(DEFAULT_SLA_POLICY);
    const random = seededRandom(1606);
    const engineers = [{ engineerId: 'e-1', managerId: 'm-1' }];
    const timed: Array<{ event: CaseEvent; at: number; seq: number }> = [];
    for (let i = 0; i < 300; i++) {
      const startMs = START + Math.floor(random() * 60) * DAY + Math.floor(random() * 24 * 60) * 60_000;
      const h = randomCaseHistory({
        caseId: `case-${i}`,
        partnerId: `p-${i % 7}`,
        engineers,
        startMs,
        endMs: END,
        commands: 5 + Math.floor(random() * 15),
        random,
        clocks: calc,
      });
      h.forEach((d) => timed.push({ event: d.event, at: Date.parse(d.now), seq: timed.length }));
    }
    // In time order, as a live store holds them: the cases' events interleave.
    const events = timed.sort((a, b) => a.at - b.at || a.seq - b.seq).map((t) => t.event);
    expect(events.some((e) => e.type === 'CaseReopened')).toBe(true);
    const tighter = createClockCalculator(policy('tighter', 'PT30M', 'PT2H'));
    const looser = createClockCalculator(policy('looser', 'PT8H', 'PT48H'));
    for (const proposed of [calc, tighter, looser]) {
      const lean = new WhatIfRun(proposed);
      const kept = new WhatIfRun(proposed, {}, 10_000, { keepIdleCases: true });
      let held = 0;
      events.forEach((e, i) => {
        lean.apply(e);
        kept.apply(e);
        if (i === Math.floor(events.length / 2)) held = lean.casesHeld;
      });
      expect(held).toBeLessThan(kept.casesHeld / 2);
      const end = new Date(END).toISOString();
      expect(lean.finish(end)).toEqual(kept.finish(end));
    }
  });
});
