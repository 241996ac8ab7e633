import { IllegalStateError } from '../shared/domain-errors';
import { spec } from '../shared/given-when-then';
import { caseDecider } from './case.decider';
import { CoveredProduct, RequestType, RoutingTeam, SubmitterRole } from './case.types';
import { CaseRouted } from './case.events';
import {
  CASE_ID,
  NOW,
  PARTNER,
  caseSubmitted,
  clockStarted,
  context,
  severityAssigned,
  severityLowered,
  openedSubmission,
  submitCase,
} from './testing/case.fixtures';

const given = () => spec(caseDecider, context).given([]);
const submitted = (overrides = {}) => caseSubmitted(overrides, NOW);
const routed = (team: RoutingTeam, reason: string): CaseRouted => ({
  type: 'CaseRouted',
  data: { caseId: CASE_ID, team, reason, at: NOW },
});

describe('SubmitCase', () => {
  it('opens an eligible repair of a covered product without a proposed severity: its clock starts at submission under the untriaged severity', () => {
    given().when(submitCase()).then(openedSubmission({}, NOW));
  });

  it('normalises absent optional fields to null / [] in the recorded submission', () => {
    given()
      .when(
        submitCase({ customerId: undefined, azure: undefined, proposedSeverity: undefined, attachments: undefined }),
      )
      .thenMatches([{ data: { customerId: null, azure: null, proposedSeverity: null, attachments: [] } }, {}, {}]);
  });

  it('refuses a second submission of the same case', () => {
    spec(caseDecider, context)
      .given([caseSubmitted()])
      .when(submitCase())
      .thenThrows(IllegalStateError, /already submitted/);
  });
});

describe('routing of what is not a repair of a covered product', () => {
  it.each<[RequestType, RoutingTeam, string]>([
    ['billing', 'billing', 'billing and subscription management is handled by the billing team'],
    ['presales', 'pre-sales', 'pre-sales questions are handled by the pre-sales team'],
    ['advisory', 'advisory', 'advisory and how-to questions are handled by the advisory team'],
    ['deployment', 'deployment', 'deployment readiness is handled by the deployment team'],
    ['password-reset', 'password-reset', 'password resets are handled by the password-reset team'],
  ])('%s requests go to the %s team', (requestType, team, reason) => {
    given()
      .when(submitCase({ requestType }))
      .then([submitted({ requestType }), routed(team, reason)]);
  });

  it.each(['crm-social-listening', 'dynamics-marketing', 'parature'] as const)(
    'a repair of %s (not covered) goes to product-not-covered',
    (product) => {
      given()
        .when(submitCase({ product }))
        .then([submitted({ product }), routed('product-not-covered', `${product} is not covered by the programme`)]);
    },
  );

  it('the request type decides first: a billing question about an uncovered product goes to billing', () => {
    given()
      .when(submitCase({ product: 'parature', requestType: 'billing' }))
      .thenMatches([{}, { data: { team: 'billing' } }]);
  });

  it('a routed submission is not checked for eligibility nor given its proposed severity', () => {
    const cmd = submitCase({ requestType: 'presales', submitterRole: 'user', proposedSeverity: 'A' });
    given()
      .when(cmd)
      .thenMatches([{ type: 'CaseSubmitted' }, { type: 'CaseRouted', data: { team: 'pre-sales' } }]);
  });
});

describe('eligibility (repair of a covered product)', () => {
  const azure = { subscriptionId: 'sub-1', accessId: 'SCS4F7Q2K9', contractId: '7205118' };
  const crmOnline = { office365SignIn: 'admin@contoso.onmicrosoft.com', subscriptionId: 'crm-sub-1' };
  const rejected = (reason: string) => [{ type: 'CaseSubmitted' }, { type: 'CaseRejected', data: { reason } }];
  const accepted = [{ type: 'CaseSubmitted' }, { type: 'SeverityAssigned' }, { type: 'SlaClockStarted' }];

  describe('azure identifiers', () => {
    it.each([
      ['subscriptionId', 'azure-subscription-id-missing'],
      ['accessId', 'azure-access-id-missing'],
      ['contractId', 'azure-contract-id-missing'],
    ])('missing %s is rejected as %s', (field, reason) => {
      given()
        .when(submitCase({ product: 'azure', azure: { ...azure, [field]: undefined } }))
        .thenMatches(rejected(reason));
    });

    it('a blank identifier counts as missing', () => {
      given()
        .when(submitCase({ product: 'azure', azure: { ...azure, accessId: '  ' } }))
        .thenMatches(rejected('azure-access-id-missing'));
    });

    it('without the azure block every identifier is a distinct recorded failure, the first one being the reason', () => {
      given()
        .when(submitCase({ product: 'azure', azure: null, submitterRole: 'user' }))
        .then([
          submitted({ product: 'azure', azure: null, submitterRole: 'user' }),
          {
            type: 'CaseRejected',
            data: {
              caseId: CASE_ID,
              reason: 'azure-subscription-id-missing',
              message: 'the Azure subscription ID is required',
              failures: [
                { reason: 'azure-subscription-id-missing', message: 'the Azure subscription ID is required' },
                { reason: 'azure-access-id-missing', message: "the programme's access ID is required for Azure" },
                { reason: 'azure-contract-id-missing', message: "the programme's contract ID is required for Azure" },
                {
                  reason: 'submitter-role-not-eligible',
                  message: 'role user may not open azure cases for its own subscription (allowed: admin, co-admin)',
                },
              ],
              at: NOW,
            },
          },
        ]);
    });
  });

  // true: eligible; false: rejected as submitter-role-not-eligible; a string: rejected with that reason.
  type Row = [SubmitterRole, boolean | string];
  const roleCases = (product: CoveredProduct, customerId: string | null, rows: Row[], partnerOfRecord?: boolean) =>
    it.each(rows)(
      `${product} ${customerId ? 'on behalf of a customer' : 'own subscription'}${partnerOfRecord ? ' (partner of record)' : ''}: %s eligible=%s`,
      (submitterRole, ok) => {
        const cmd = submitCase({
          product,
          azure: product === 'azure' ? azure : undefined,
          crmOnline: product === 'crm-online' ? crmOnline : undefined,
          customerId,
          submitterRole,
          partnerOfRecord,
        });
        given()
          .when(cmd)
          .thenMatches(ok === true ? accepted : rejected(ok || 'submitter-role-not-eligible'));
      },
    );

  roleCases('azure', null, [
    ['admin', true],
    ['co-admin', true],
    ['owner', false],
    ['contributor', false],
    ['delegated-admin', false],
    ['user', false],
  ]);
  // Issue 13: administrators act for a customer as its partner of record; write rights suffice alone.
  roleCases('azure', 'c-fabrikam', [
    ['admin', 'not-partner-of-record'],
    ['co-admin', 'not-partner-of-record'],
    ['owner', true],
    ['contributor', true],
    ['delegated-admin', false],
    ['user', false],
  ]);
  roleCases(
    'azure',
    'c-fabrikam',
    [
      ['admin', true],
      ['co-admin', true],
      ['owner', true],
      ['contributor', true],
      ['delegated-admin', false],
      ['user', false],
    ],
    true,
  );
  roleCases('crm-online', null, [
    ['admin', true],
    ['co-admin', true],
    ['delegated-admin', true],
    ['owner', false],
    ['user', false],
  ]);
  roleCases('crm-online', 'c-fabrikam', [
    ['delegated-admin', true],
    ['contributor', false],
  ]);
  roleCases('office365', null, [
    ['admin', true],
    ['delegated-admin', false],
    ['co-admin', false],
    ['user', false],
  ]);
  roleCases('office365', 'c-fabrikam', [
    ['delegated-admin', true],
    ['admin', false],
    ['user', false],
  ]);
  for (const product of ['intune', 'enterprise-mobility'] as const) {
    roleCases(product, null, [
      ['admin', true],
      ['co-admin', true],
      ['delegated-admin', true],
      ['owner', false],
      ['user', false],
    ]);
    roleCases(product, 'c-fabrikam', [
      ['delegated-admin', true],
      ['contributor', false],
    ]);
  }

  it('records the reason and a human message on the rejection', () => {
    given()
      .when(submitCase({ customerId: 'c-fabrikam', submitterRole: 'admin' }))
      .thenMatches([
        {},
        {
          type: 'CaseRejected',
          data: {
            reason: 'submitter-role-not-eligible',
            message: 'role admin may not open office365 cases on behalf of a customer (allowed: delegated-admin)',
          },
        },
      ]);
  });

  it('a rejected submission does not get its proposed severity', () => {
    given()
      .when(submitCase({ submitterRole: 'user', proposedSeverity: 'A' }))
      .thenMatches(rejected('submitter-role-not-eligible'));
  });
});

describe('proposed severity at submission (not a triage: the vendor decides the severity)', () => {
  const by = { by: PARTNER, at: NOW, reason: 'proposed at submission', triage: false };
  const triageDueAt = '2026-11-23T10:30:00.000Z';
  const opened = (overrides = {}) => ({ ...submitted(overrides), data: { ...submitted(overrides).data, triageDueAt } });
  const fromSubmission = { cause: 'case-submitted' as const };

  it('is assigned and starts the initial-response clock at submission', () => {
    given()
      .when(submitCase({ proposedSeverity: 'B' }))
      .then([
        opened({ proposedSeverity: 'B' }),
        severityAssigned('B', by),
        clockStarted('initialResponse', 1, 'B', NOW, fromSubmission),
      ]);
  });

  it('A with a 24x7 partner stays A, its clock counted in 24x7', () => {
    given()
      .when(submitCase({ proposedSeverity: 'A' }))
      .then([
        opened({ proposedSeverity: 'A' }),
        severityAssigned('A', by),
        clockStarted('initialResponse', 1, 'A', NOW, fromSubmission),
      ]);
  });

  it('A without a 24x7 partner is lowered to B and the clock runs under B', () => {
    const cmd = submitCase({ proposedSeverity: 'A', partnerAvailable24x7: false });
    given()
      .when(cmd)
      .then([
        opened({ proposedSeverity: 'A', partnerAvailable24x7: false }),
        severityAssigned('A', by),
        severityLowered({ by: PARTNER, at: NOW }),
        clockStarted('initialResponse', 1, 'B', NOW, fromSubmission),
      ]);
  });
});
