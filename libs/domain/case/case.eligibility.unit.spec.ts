import { IllegalStateError } from '../shared/domain-errors';
import { spec } from '../shared/given-when-then';
import { caseDecider } from './case.decider';
import { CaseSubmitted } from './case.events';
import { CASE_ID, NOW, caseSubmitted, context, submitCase } from './testing/case.fixtures';

/** Issue 13, item 6: eligibility as the source states it. */
const given = () => spec(caseDecider, context).given([]);
const AZURE = { subscriptionId: 'sub-1', accessId: 'SCS4F7Q2K9', contractId: '7205118' };
const CRM = { office365SignIn: 'admin@contoso.onmicrosoft.com', subscriptionId: 'crm-sub-1' };
const rejected = (reason: string) => [{ type: 'CaseSubmitted' }, { type: 'CaseRejected', data: { reason } }];
const opened = [{ type: 'CaseSubmitted' }, { type: 'SeverityAssigned' }, { type: 'SlaClockStarted' }];
const azureRepair = (overrides = {}) => submitCase({ product: 'azure', azure: AZURE, ...overrides });

describe('Azure on behalf of a customer: partner of record', () => {
  it('given a co-administrator of the customer, who is its partner of record, when it submits, then the case opens and records partnerOfRecord', () => {
    given()
      .when(azureRepair({ customerId: 'c-fabrikam', submitterRole: 'co-admin', partnerOfRecord: true }))
      .thenMatches([{ type: 'CaseSubmitted', data: { partnerOfRecord: true, submitterRole: 'co-admin' } }, {}, {}]);
  });

  it('given an administrator that is not the partner of record, then it is rejected as not-partner-of-record with the reason', () => {
    given()
      .when(azureRepair({ customerId: 'c-fabrikam', submitterRole: 'admin', partnerOfRecord: false }))
      .thenMatches([
        { type: 'CaseSubmitted', data: { partnerOfRecord: false } },
        {
          type: 'CaseRejected',
          data: {
            reason: 'not-partner-of-record',
            message:
              "on behalf of a customer, role admin may open azure cases only as the customer's partner of record (or with owner / contributor rights on its subscription)",
          },
        },
      ]);
  });

  it('given write rights (contributor) on the customer subscription, partner of record is not needed', () => {
    given()
      .when(azureRepair({ customerId: 'c-fabrikam', submitterRole: 'contributor' }))
      .thenMatches(opened);
  });

  it('partner of record does not open a customer case to a role without administrator privileges', () => {
    given()
      .when(azureRepair({ customerId: 'c-fabrikam', submitterRole: 'user', partnerOfRecord: true }))
      .thenMatches(rejected('submitter-role-not-eligible'));
  });

  it('is absent from the submission: recorded as false', () => {
    given()
      .when(submitCase())
      .thenMatches([{ type: 'CaseSubmitted', data: { partnerOfRecord: false, crmOnline: null } }, {}, {}]);
  });
});

describe('Azure access ID and contract ID: shapes', () => {
  it.each([
    ['accessId', 'acc-1', 'azure-access-id-malformed'],
    ['accessId', 'ABC12', 'azure-access-id-malformed'],
    ['accessId', 'A'.repeat(21), 'azure-access-id-malformed'],
    ['contractId', 'ct-1', 'azure-contract-id-malformed'],
    ['contractId', '12345', 'azure-contract-id-malformed'],
    ['contractId', '1234567890123', 'azure-contract-id-malformed'],
  ])('given %s %p, then the case is rejected as %s', (field, value, reason) => {
    given()
      .when(azureRepair({ azure: { ...AZURE, [field]: value } }))
      .thenMatches(rejected(reason));
  });

  it.each([
    ['SCS4F7', '100000'],
    ['abcdefghij0123456789', '123456789012'],
  ])('given access ID %s and contract ID %s, then the case opens', (accessId, contractId) => {
    given()
      .when(azureRepair({ azure: { ...AZURE, accessId, contractId } }))
      .thenMatches(opened);
  });

  it('a malformed identifier is a distinct failure next to the others', () => {
    given()
      .when(azureRepair({ azure: { subscriptionId: 'sub-1', accessId: 'bad id', contractId: 'x' } }))
      .thenMatches([
        {},
        {
          type: 'CaseRejected',
          data: {
            reason: 'azure-access-id-malformed',
            failures: [
              {
                reason: 'azure-access-id-malformed',
                message: "the programme's access ID must be 6 to 20 letters or digits",
              },
              { reason: 'azure-contract-id-malformed', message: "the programme's contract ID must be 6 to 12 digits" },
            ],
          },
        },
      ]);
  });
});

describe('Azure programme contract bound to the partner (the handler passes the binding in)', () => {
  it('given no binding yet (first use), then the case opens', () => {
    given()
      .when(azureRepair({ partnerContract: null }))
      .thenMatches(opened);
  });

  it('given the partner bound to the same contract, then the case opens', () => {
    given()
      .when(azureRepair({ partnerContract: { accessId: AZURE.accessId, contractId: AZURE.contractId } }))
      .thenMatches(opened);
  });

  it('given the partner bound to another contract, then the submission is refused with the reason and nothing is recorded', () => {
    given()
      .when(azureRepair({ partnerContract: { accessId: AZURE.accessId, contractId: '9999999' } }))
      .thenThrows(
        IllegalStateError,
        'partner p-contoso is bound to programme contract 9999999 (its first use); this request names contract 7205118',
      );
  });

  it('given the partner bound to the same contract with another access ID, then it is refused', () => {
    given()
      .when(azureRepair({ partnerContract: { accessId: 'OTHER0001', contractId: AZURE.contractId } }))
      .thenThrows(IllegalStateError, /another access ID/);
  });

  it('the refusal comes before the role check: a contract not the partner’s is never recorded', () => {
    given()
      .when(azureRepair({ submitterRole: 'user', partnerContract: { accessId: 'OTHER0001', contractId: '1111111' } }))
      .thenThrows(IllegalStateError, /bound to programme contract 1111111/);
  });

  it('a routed request (billing) is not checked against the binding', () => {
    given()
      .when(azureRepair({ requestType: 'billing', partnerContract: { accessId: 'OTHER0001', contractId: '1111111' } }))
      .thenMatches([{ type: 'CaseSubmitted' }, { type: 'CaseRouted', data: { team: 'billing' } }]);
  });

  it('a malformed contract is rejected (recorded), not compared with the binding', () => {
    given()
      .when(azureRepair({ azure: { ...AZURE, contractId: 'x' }, partnerContract: AZURE }))
      .thenMatches(rejected('azure-contract-id-malformed'));
  });

  it('the binding is not part of the recorded submission', () => {
    given()
      .when(azureRepair({ partnerContract: null }))
      .thenMatches([{ type: 'CaseSubmitted', data: { azure: AZURE } }, {}, {}]);
    const [recorded] = caseDecider.decide(azureRepair({ partnerContract: null }), null, { ...context, now: NOW });
    expect(recorded.data).not.toHaveProperty('partnerContract');
  });
});

describe('CRM Online conditions', () => {
  const crmRepair = (crmOnline: object | null, overrides = {}) =>
    submitCase({ product: 'crm-online', submitterRole: 'admin', crmOnline, ...overrides });

  it('given an Office 365 sign-in and a CRM Online subscription, then the case opens and records both', () => {
    given()
      .when(crmRepair(CRM))
      .thenMatches([{ type: 'CaseSubmitted', data: { crmOnline: CRM } }, {}, {}]);
  });

  it.each([
    ['without the Office 365 sign-in', { subscriptionId: 'crm-sub-1' }, 'crm-office365-sign-in-missing'],
    ['with a blank sign-in', { ...CRM, office365SignIn: ' ' }, 'crm-office365-sign-in-missing'],
    ['with a sign-in that is no sign-in name', { ...CRM, office365SignIn: 'admin' }, 'crm-office365-sign-in-malformed'],
    [
      'without the CRM Online subscription',
      { office365SignIn: CRM.office365SignIn },
      'crm-online-subscription-missing',
    ],
  ])('given a submission %s (%j), then it is rejected as %s', (_name, crmOnline, reason) => {
    given().when(crmRepair(crmOnline)).thenMatches(rejected(reason));
  });

  it('given no conditions at all, then every one is a recorded failure, with the role check', () => {
    given()
      .when(crmRepair(null, { submitterRole: 'user' }))
      .thenMatches([
        { data: { crmOnline: null } },
        {
          type: 'CaseRejected',
          data: {
            reason: 'crm-office365-sign-in-missing',
            failures: [
              { reason: 'crm-office365-sign-in-missing' },
              { reason: 'crm-online-subscription-missing' },
              { reason: 'submitter-role-not-eligible' },
            ],
          },
        },
      ]);
  });

  it('the third condition (administrator, co-administrator or DAP) is the role check', () => {
    given()
      .when(crmRepair(CRM, { submitterRole: 'owner' }))
      .thenMatches(rejected('submitter-role-not-eligible'));
    given()
      .when(crmRepair(CRM, { submitterRole: 'delegated-admin' }))
      .thenMatches(opened);
  });

  it('other products do not need them', () => {
    given()
      .when(submitCase({ product: 'intune' }))
      .thenMatches(opened);
  });
});

describe('old submissions (recorded before these fields) still replay', () => {
  const old = (): CaseSubmitted => {
    const { partnerOfRecord, crmOnline, ...data } = caseSubmitted({ product: 'crm-online' }).data;
    void partnerOfRecord;
    void crmOnline;
    return { type: 'CaseSubmitted', data };
  };

  it('given a CRM Online submission recorded without crmOnline, then the case folds and takes commands', () => {
    spec(caseDecider, context)
      .given([old()])
      .when({ type: 'AssignSeverity', data: { severity: 'B', reason: 'triage', by: 'agent-1' } })
      .thenMatches([{ type: 'SeverityAssigned', data: { caseId: CASE_ID, severity: 'B' } }, {}]);
  });
});
