import { caseDecider } from './case.decider';
import { CaseEvent } from './case.events';
import { Case } from './case.state';
import {
  CASE_ID,
  NOW,
  caseSubmitted,
  clockStarted,
  engineerAssigned,
  min,
  rejectedCase,
  routedCase,
  severityAssigned,
  severityLowered,
  updateSent,
} from './testing/case.fixtures';

const stateAfter = (events: CaseEvent[]): Case | null => events.reduce(caseDecider.evolve, caseDecider.initialState());

describe('case state (what GET /v1/cases/{id} shows)', () => {
  it('does not exist before CaseSubmitted, and ignores stray events', () => {
    expect(stateAfter([])).toBeNull();
    expect(stateAfter([severityAssigned('B')])).toBeNull();
  });

  it('a worked case: ids, severity, people, timestamps and sla', () => {
    const history = [
      caseSubmitted(
        { customerId: 'c-fabrikam', submitterRole: 'delegated-admin', partnerAvailable24x7: false },
        min(-30),
      ),
      severityAssigned('A', { at: min(-30) }),
      severityLowered({ at: min(-30) }),
      clockStarted('initialResponse', 1, 'B', min(-30)),
      engineerAssigned('eng-bob', { at: min(-20) }),
      updateSent('initialResponse-1', { at: min(-10) }),
      clockStarted('nextUpdate', 2, 'B', min(-10), { cause: 'update-sent' }),
    ];
    expect(stateAfter(history)).toMatchObject({
      caseId: CASE_ID,
      reference: 'SR-0001',
      status: 'open',
      partnerId: 'p-contoso',
      customerId: 'c-fabrikam',
      product: 'office365',
      severity: 'B',
      severityLowered: true,
      partnerAvailable24x7: false,
      engineerId: 'eng-bob',
      managerId: 'mgr-carol',
      contact: { timeZone: 'Europe/Paris', country: 'FR' },
      submittedAt: min(-30),
      updatedAt: min(-10),
      resolvedAt: null,
      closedAt: null,
      routedTo: null,
      rejectionReason: null,
      initialResponseAt: min(-10),
      updateCount: 1,
      clocksStarted: 2,
      sla: {
        policyVersion: 'test-policy-1',
        initialResponse: {
          clockId: 'initialResponse-1',
          state: 'met',
          metAt: min(-10),
          severity: 'B',
          calendar: 'business',
        },
        nextUpdate: { clockId: 'nextUpdate-2', state: 'running', startedAt: min(-10) },
      },
    });
  });

  it('a later SeverityAssigned clears the lowered flag', () => {
    const history = [
      caseSubmitted(),
      severityAssigned('A'),
      severityLowered(),
      severityAssigned('C', { previousSeverity: 'B', at: NOW }),
    ];
    expect(stateAfter(history)).toMatchObject({ severity: 'C', severityLowered: false });
  });

  it('a routed case names its team', () => {
    expect(stateAfter(routedCase())).toMatchObject({ status: 'routed', routedTo: 'billing', severity: null });
  });

  it('a rejected case names its reason', () => {
    expect(stateAfter(rejectedCase())).toMatchObject({
      status: 'rejected',
      rejectionReason: 'submitter-role-not-eligible',
      rejectionMessage: expect.stringContaining('role user'),
    });
  });
});
