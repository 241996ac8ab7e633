import { IllegalStateError, NotFoundError } from '../shared/domain-errors';
import { spec } from '../shared/given-when-then';
import { AssignSeverity, SetPartnerAvailability } from './case.commands';
import { caseDecider } from './case.decider';
import { CaseEvent } from './case.events';
import { Case } from './case.state';
import { Severity } from './case.types';
import {
  AGENT,
  CASE_ID,
  NOW,
  PARTNER,
  caseClosed,
  caseResolved,
  caseSubmitted,
  clockStarted,
  context,
  engineerAssigned,
  min,
  openCase,
  rejectedCase,
  reminderSent,
  routedCase,
  severityAssigned,
  severityLowered,
  slaBreached,
  slaWarningRaised,
  updateSent,
} from './testing/case.fixtures';

const given = (events: CaseEvent[]) => spec(caseDecider, context).given(events);
const assign = (severity: Severity, reason = 'customer impact reassessed'): AssignSeverity => ({
  type: 'AssignSeverity',
  data: { severity, reason, by: AGENT },
});
const availability = (available24x7: boolean): SetPartnerAvailability => ({
  type: 'SetPartnerAvailability',
  data: { available24x7, by: PARTNER },
});
// The first staff severity is the triage; later ones are changes (the fixtures' histories were triaged by staff).
const assigned = (
  severity: Severity,
  previousSeverity: Severity | null,
  reason = 'customer impact reassessed',
  triage = previousSeverity === null,
) => severityAssigned(severity, { previousSeverity, at: NOW, reason, triage });
const stateAfter = (events: CaseEvent[]): Case => events.reduce(caseDecider.evolve, caseDecider.initialState()) as Case;

describe('AssignSeverity: first severity of a case submitted before clocks started at submission (old streams)', () => {
  const submitted = [caseSubmitted()];

  it('records the severity with who and why and starts the initial-response clock from now', () => {
    given(submitted)
      .when(assign('C', 'one user, workaround available'))
      .then([assigned('C', null, 'one user, workaround available'), clockStarted('initialResponse', 1, 'C', NOW)]);
  });

  it('A with a 24x7 partner: A, clock under A', () => {
    given(submitted)
      .when(assign('A'))
      .then([assigned('A', null), clockStarted('initialResponse', 1, 'A', NOW)]);
  });

  it('A without a 24x7 partner: A as asked, lowered to B, the clock runs under B', () => {
    given([caseSubmitted({ partnerAvailable24x7: false })])
      .when(assign('A'))
      .then([assigned('A', null), severityLowered({ at: NOW }), clockStarted('initialResponse', 1, 'B', NOW)]);
  });

  it('the lowering is visible in state (severity B, severityLowered)', () => {
    const events = [
      caseSubmitted({ partnerAvailable24x7: false }),
      ...caseDecider.decide(assign('A'), stateAfter([caseSubmitted({ partnerAvailable24x7: false })]), context),
    ];
    expect(stateAfter(events)).toMatchObject({ severity: 'B', severityLowered: true });
  });

  it('when the case was already answered before any severity, the next-update clock starts instead', () => {
    given([caseSubmitted(), updateSent(null, { at: min(-10) })])
      .when(assign('B'))
      .then([assigned('B', null), clockStarted('nextUpdate', 1, 'B', NOW)]);
  });
});

describe('AssignSeverity: severity change (clocks restart from their original start)', () => {
  it('restarts the running initial-response clock under the new severity from its original startedAt', () => {
    const { history, clock } = openCase('C');
    given(history)
      .when(assign('B'))
      .then([
        assigned('B', 'C'),
        clockStarted('initialResponse', 2, 'B', clock.data.startedAt, {
          cause: 'severity-changed',
          replacesClockId: 'initialResponse-1',
          at: NOW,
        }),
      ]);
  });

  it('restarts a clock in warning too (it becomes running under the new due instants)', () => {
    // B: 2 h to respond, warns at 1 h 30; opened 100 minutes ago, so at risk for 10 minutes.
    const clock = clockStarted('initialResponse', 1, 'B', min(-100));
    given([caseSubmitted({}, min(-100)), severityAssigned('B', { at: min(-100) }), clock, slaWarningRaised(clock)])
      .when(assign('C'))
      .then([
        assigned('C', 'B'),
        clockStarted('initialResponse', 2, 'C', min(-100), {
          cause: 'severity-changed',
          replacesClockId: 'initialResponse-1',
          at: NOW,
        }),
      ]);
  });

  it('leaves a met initial-response clock as it is and restarts only the running next-update clock', () => {
    const { history } = openCase('B');
    const next = clockStarted('nextUpdate', 2, 'B', min(-10), { cause: 'update-sent' });
    given([...history, updateSent('initialResponse-1', { at: min(-10) }), next])
      .when(assign('A'))
      .then([
        assigned('A', 'B'),
        clockStarted('nextUpdate', 3, 'A', min(-10), {
          cause: 'severity-changed',
          replacesClockId: 'nextUpdate-2',
          at: NOW,
        }),
      ]);
  });

  it('leaves a recorded breached clock as it is (the breach is a fact)', () => {
    const clock = clockStarted('initialResponse', 1, 'A', min(-90));
    given([caseSubmitted({}, min(-90)), severityAssigned('A', { at: min(-90) }), clock, slaBreached(clock)])
      .when(assign('B'))
      .then([assigned('B', 'A')]);
  });

  it('records a clock found past due (late timer) as breached, reminding the engineer, before changing: no restart', () => {
    const clock = clockStarted('initialResponse', 1, 'A', min(-90));
    given([caseSubmitted({}, min(-90)), severityAssigned('A', { at: min(-90) }), clock, engineerAssigned()])
      .when(assign('B'))
      .then([
        slaBreached(clock, { at: NOW, engineerId: 'eng-bob', detectedBy: 'catch-up' }),
        reminderSent(clock, { at: NOW }),
        assigned('B', 'A'),
      ]);
  });

  it('re-assigning the same severity is recorded but moves no clock', () => {
    const { history } = openCase('B');
    given(history)
      .when(assign('B', 'confirmed by manager'))
      .then([assigned('B', 'B', 'confirmed by manager')]);
  });

  it('asking A again on a lowered case records the request and the lowering; the clock (still B) does not move', () => {
    const clock = clockStarted('initialResponse', 1, 'B', min(-30));
    const history = [caseSubmitted({ partnerAvailable24x7: false }), severityAssigned('A'), severityLowered(), clock];
    given(history)
      .when(assign('A'))
      .then([assigned('A', 'B'), severityLowered({ at: NOW })]);
  });
});

describe('SetPartnerAvailability', () => {
  it('withdrawing 24x7 availability on a severity-A case lowers it to B and restarts the clock under B', () => {
    const { history } = openCase('A');
    given(history)
      .when(availability(false))
      .then([
        { type: 'PartnerAvailabilityChanged', data: { caseId: CASE_ID, available24x7: false, by: PARTNER, at: NOW } },
        severityLowered({ by: PARTNER, at: NOW }),
        clockStarted('initialResponse', 2, 'B', min(-30), {
          cause: 'severity-changed',
          replacesClockId: 'initialResponse-1',
          at: NOW,
        }),
      ]);
  });

  it('withdrawing it on a B case only records the change', () => {
    const { history } = openCase('B');
    given(history)
      .when(availability(false))
      .then([
        { type: 'PartnerAvailabilityChanged', data: { caseId: CASE_ID, available24x7: false, by: PARTNER, at: NOW } },
      ]);
  });

  it('becoming available again does not raise a lowered case back to A', () => {
    const history = [
      caseSubmitted({ partnerAvailable24x7: false }),
      severityAssigned('A'),
      severityLowered(),
      clockStarted('initialResponse', 1, 'B', min(-30)),
    ];
    given(history)
      .when(availability(true))
      .then([
        { type: 'PartnerAvailabilityChanged', data: { caseId: CASE_ID, available24x7: true, by: PARTNER, at: NOW } },
      ]);
  });

  it('declaring the availability the case already has records nothing', () => {
    given(openCase('A').history).when(availability(true)).thenNothing();
  });

  it('is refused on a resolved case', () => {
    const { history } = openCase('A');
    given([...history, caseResolved(['initialResponse-1'])])
      .when(availability(false))
      .thenThrows(IllegalStateError, /is resolved/);
  });
});

describe('AssignSeverity refusals', () => {
  it('on a case that does not exist: not found', () => {
    given([])
      .when(assign('B'))
      .thenThrows(NotFoundError, /case not found/);
  });
  it('on a routed case', () => {
    given(routedCase())
      .when(assign('B'))
      .thenThrows(IllegalStateError, /routed to the billing team/);
  });
  it('on a rejected case', () => {
    given(rejectedCase())
      .when(assign('B'))
      .thenThrows(IllegalStateError, /rejected as out of scope/);
  });
  it('on a resolved case', () => {
    given([...openCase('B').history, caseResolved(['initialResponse-1'])])
      .when(assign('A'))
      .thenThrows(IllegalStateError, /is resolved/);
  });
  it('on a closed case', () => {
    given([...openCase('B').history, caseResolved(['initialResponse-1']), caseClosed()])
      .when(assign('A'))
      .thenThrows(IllegalStateError, /is closed/);
  });
});
