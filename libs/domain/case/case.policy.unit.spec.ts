import { ValidationError } from '../shared/domain-errors';
import { spec } from '../shared/given-when-then';
import { fold } from '../shared/decider';
import type { ClockCalculator } from '../sla/sla-clock';
import { AssignSeverity } from './case.commands';
import { caseDecider } from './case.decider';
import { CaseEvent, CaseSubmitted, SlaClockStarted } from './case.events';
import { evolveCase } from './case.evolve';
import { Case } from './case.state';
import {
  AGENT,
  CONTACT,
  LOCATION,
  NOW,
  TEST_POLICY_HASH,
  caseSubmitted,
  clockStarted,
  context,
  fakeClocks,
  min,
  severityAssigned,
  submitCase,
} from './testing/case.fixtures';

/** Another policy: same fake arithmetic, other identity, and one that closes on public holidays. */
const otherPolicy: ClockCalculator = {
  ...fakeClocks,
  policyVersion: 'test-policy-2',
  policyHash: 'sha256:test-policy-2',
  clockFor: (...args) => ({
    ...fakeClocks.clockFor(...args),
    policyVersion: 'test-policy-2',
    policyHash: 'sha256:test-policy-2',
  }),
};
const withHolidays: ClockCalculator = { ...fakeClocks, publicHolidays: true };
const assignC: AssignSeverity = { type: 'AssignSeverity', data: { severity: 'C', reason: 'less urgent', by: AGENT } };
const stateOf = (events: CaseEvent[]) => fold(evolveCase, null, events) as Case;

/** A CaseSubmitted as stored before policies were pinned: no policyVersion / policyHash. */
function legacySubmitted(): CaseSubmitted {
  const { policyVersion: _v, policyHash: _h, ...data } = caseSubmitted({}, min(-90)).data;
  return { type: 'CaseSubmitted', data };
}
function legacyClock(): SlaClockStarted {
  const clock = clockStarted('initialResponse', 1, 'B', min(-90));
  const { policyHash: _h, ...data } = clock.data;
  return { type: 'SlaClockStarted', data: { ...data, policyVersion: 'policy-of-2025' } };
}

describe('a case records the SLA policy it was submitted under', () => {
  it('given no case, when submitted, then CaseSubmitted names the policy in force (version and hash)', () => {
    spec(caseDecider, context)
      .given([])
      .when(submitCase())
      .thenMatches([
        { type: 'CaseSubmitted', data: { policyVersion: 'test-policy-1', policyHash: TEST_POLICY_HASH } },
        { type: 'SeverityAssigned' },
        { type: 'SlaClockStarted', data: { policyVersion: 'test-policy-1', policyHash: TEST_POLICY_HASH } },
      ]);
  });

  it('given a submitted case, its state carries that policy', () => {
    expect(stateOf([caseSubmitted()]).policy).toEqual({ version: 'test-policy-1', hash: TEST_POLICY_HASH });
  });

  it('every clock names the version and hash of the calculator it was computed with', () => {
    spec(caseDecider, context)
      .given([caseSubmitted()])
      .when({ type: 'AssignSeverity', data: { severity: 'B', reason: 'triage', by: AGENT } }, { clocks: otherPolicy })
      .thenMatches([
        { type: 'SeverityAssigned' },
        {
          type: 'SlaClockStarted',
          data: { clockId: 'initialResponse-1', policyVersion: 'test-policy-2', policyHash: 'sha256:test-policy-2' },
        },
      ]);
  });

  it('a severity change restarts the running clock under the calculator it is given (the handler gives the case its own)', () => {
    spec(caseDecider, context)
      .given([
        caseSubmitted({}, min(-60)),
        severityAssigned('B', { at: min(-60) }),
        clockStarted('initialResponse', 1, 'B', min(-60)),
      ])
      .when(assignC)
      .thenMatches([
        { type: 'SeverityAssigned' },
        {
          type: 'SlaClockStarted',
          data: {
            clockId: 'initialResponse-2',
            startedAt: min(-60),
            policyVersion: 'test-policy-1',
            policyHash: TEST_POLICY_HASH,
            replacesClockId: 'initialResponse-1',
          },
        },
      ]);
  });

  it('a case stored before policies were pinned runs under its first clock policy (version only)', () => {
    const state = stateOf([legacySubmitted(), severityAssigned('B', { at: min(-90) }), legacyClock()]);
    expect(state.policy).toEqual({ version: 'policy-of-2025', hash: null });
    // Its clocks stay readable: the stored clock is unchanged.
    expect(state.sla.initialResponse).toMatchObject({
      clockId: 'initialResponse-1',
      policyVersion: 'policy-of-2025',
      state: 'running',
    });
  });

  it('a case stored before policies were pinned and without a clock has no policy yet', () => {
    expect(stateOf([legacySubmitted()]).policy).toBeNull();
  });

  it('a later clock does not replace the recorded policy', () => {
    const later = clockStarted('nextUpdate', 2, 'B', min(-10));
    const other: SlaClockStarted = {
      ...later,
      data: { ...later.data, policyVersion: 'test-policy-2', policyHash: 'sha256:test-policy-2' },
    };
    expect(stateOf([caseSubmitted(), other]).policy).toEqual({ version: 'test-policy-1', hash: TEST_POLICY_HASH });
  });
});

describe('holidays where the contact is', () => {
  it('given a policy that closes on public holidays, when a contact without country submits, then it is refused naming contact.country', () => {
    const { country: _c, ...noCountry } = CONTACT;
    spec(caseDecider, context)
      .given([])
      .when(submitCase({ contact: noCountry }), { clocks: withHolidays })
      .thenThrows(ValidationError, /contact\.country is required/);
    const refusal = (() => {
      try {
        caseDecider.decide(submitCase({ contact: noCountry }), null, { now: NOW, clocks: withHolidays });
      } catch (error) {
        return error;
      }
    })();
    expect(refusal).toMatchObject({ field: 'contact.country' });
  });

  it('given a policy without public holidays, a contact without country is accepted', () => {
    const { country: _c, ...noCountry } = CONTACT;
    spec(caseDecider, context)
      .given([])
      .when(submitCase({ contact: noCountry }))
      .thenMatches([
        { type: 'CaseSubmitted' },
        { type: 'SeverityAssigned' },
        { type: 'SlaClockStarted', data: { location: { timeZone: 'Europe/Paris' } } },
      ]);
  });

  it("the contact's region goes into each clock's location", () => {
    const contact = { ...CONTACT, timeZone: 'Australia/Sydney', country: 'AU', region: 'NSW' };
    spec(caseDecider, context)
      .given([])
      .when(submitCase({ contact, proposedSeverity: 'B' }))
      .thenMatches([
        { type: 'CaseSubmitted', data: { contact } },
        { type: 'SeverityAssigned' },
        { type: 'SlaClockStarted', data: { location: { timeZone: 'Australia/Sydney', country: 'AU', region: 'NSW' } } },
      ]);
  });

  it('a region without a country is not passed to the calendar', () => {
    const contact = { ...CONTACT, country: undefined, region: 'NSW' };
    spec(caseDecider, context)
      .given([])
      .when(submitCase({ contact, proposedSeverity: 'B' }))
      .thenMatches([
        { type: 'CaseSubmitted' },
        { type: 'SeverityAssigned' },
        { type: 'SlaClockStarted', data: { location: { timeZone: LOCATION.timeZone } } },
      ]);
  });
});
