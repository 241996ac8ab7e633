import {
  ACCESS_ID_SHAPE,
  CONTRACT_ID_SHAPE,
  ProgrammeContract,
  wellFormedContract,
} from '../partner/programme-contract';
import { AzureDetails, CoveredProduct, CrmOnlineDetails, Product, RequestType, SubmitterRole } from './case.types';

export type EligibilityReason =
  | 'azure-subscription-id-missing'
  | 'azure-access-id-missing'
  | 'azure-contract-id-missing'
  | 'azure-access-id-malformed'
  | 'azure-contract-id-malformed'
  | 'crm-office365-sign-in-missing'
  | 'crm-office365-sign-in-malformed'
  | 'crm-online-subscription-missing'
  | 'not-partner-of-record'
  | 'submitter-role-not-eligible';

export interface EligibilityFailure {
  readonly reason: EligibilityReason;
  readonly message: string;
}

/** Roles that may open a repair case, for the submitter's own subscription or a customer's. */
export interface EligibleRoles {
  readonly own: readonly SubmitterRole[];
  readonly onBehalfOfCustomer: readonly SubmitterRole[];
  /** On behalf of a customer, only when the submitter is the customer's partner of record. */
  readonly onBehalfAsPartnerOfRecord: readonly SubmitterRole[];
}

/**
 * Intune and Enterprise Mobility: the source is silent; they are administered like CRM Online
 * (subscription administrators, or the partner's delegated administration), so they take its rule.
 * Partner of record only matters for Azure (the source states it there alone).
 */
export const ELIGIBLE_ROLES: Readonly<Record<CoveredProduct, EligibleRoles>> = {
  // Own: service administrator / co-administrator. On behalf: the partner of record with
  // administrator privileges (service administrator or co-administrator), or write rights
  // (owner / contributor) on the customer's subscription.
  azure: {
    own: ['admin', 'co-admin'],
    onBehalfOfCustomer: ['owner', 'contributor'],
    onBehalfAsPartnerOfRecord: ['admin', 'co-admin'],
  },
  'crm-online': {
    own: ['admin', 'co-admin', 'delegated-admin'],
    onBehalfOfCustomer: ['admin', 'co-admin', 'delegated-admin'],
    onBehalfAsPartnerOfRecord: [],
  },
  // Own tenant: its administrator. A customer's: only through delegated administration (DAP).
  office365: { own: ['admin'], onBehalfOfCustomer: ['delegated-admin'], onBehalfAsPartnerOfRecord: [] },
  intune: {
    own: ['admin', 'co-admin', 'delegated-admin'],
    onBehalfOfCustomer: ['admin', 'co-admin', 'delegated-admin'],
    onBehalfAsPartnerOfRecord: [],
  },
  'enterprise-mobility': {
    own: ['admin', 'co-admin', 'delegated-admin'],
    onBehalfOfCustomer: ['admin', 'co-admin', 'delegated-admin'],
    onBehalfAsPartnerOfRecord: [],
  },
};

type FieldCheck<T> = readonly [keyof T, EligibilityReason, string, (RegExp | null)?, EligibilityReason?, string?];

const AZURE_FIELDS: ReadonlyArray<FieldCheck<AzureDetails>> = [
  ['subscriptionId', 'azure-subscription-id-missing', 'the Azure subscription ID is required'],
  [
    'accessId',
    'azure-access-id-missing',
    "the programme's access ID is required for Azure",
    ACCESS_ID_SHAPE,
    'azure-access-id-malformed',
    "the programme's access ID must be 6 to 20 letters or digits",
  ],
  [
    'contractId',
    'azure-contract-id-missing',
    "the programme's contract ID is required for Azure",
    CONTRACT_ID_SHAPE,
    'azure-contract-id-malformed',
    "the programme's contract ID must be 6 to 12 digits",
  ],
];

/** A sign-in name (user@domain.tld), as Office 365 sign-ins are. */
const SIGN_IN_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

// The three CRM Online conditions of the source: an Office 365 sign-in, a CRM Online
// subscription, and an administrator / co-administrator / DAP role (the role check below).
const CRM_ONLINE_FIELDS: ReadonlyArray<FieldCheck<CrmOnlineDetails>> = [
  [
    'office365SignIn',
    'crm-office365-sign-in-missing',
    'CRM Online needs the Office 365 sign-in used for the Microsoft Online portal',
    SIGN_IN_SHAPE,
    'crm-office365-sign-in-malformed',
    'the Office 365 sign-in must be a sign-in name such as admin@contoso.onmicrosoft.com',
  ],
  ['subscriptionId', 'crm-online-subscription-missing', 'CRM Online needs the CRM Online subscription'],
];

const isBlank = (value: string | null | undefined): boolean => !value || value.trim() === '';

function fieldFailures<T>(details: T | null | undefined, fields: ReadonlyArray<FieldCheck<T>>): EligibilityFailure[] {
  const failures: EligibilityFailure[] = [];
  for (const [field, missing, missingMessage, shape, malformed, malformedMessage] of fields) {
    const value = details?.[field] as string | null | undefined;
    if (isBlank(value)) failures.push({ reason: missing, message: missingMessage });
    else if (shape && malformed && !shape.test(value!))
      failures.push({ reason: malformed, message: malformedMessage! });
  }
  return failures;
}

function roleFailure(
  product: CoveredProduct,
  submitterRole: SubmitterRole,
  onBehalf: boolean,
  partnerOfRecord: boolean,
): EligibilityFailure | null {
  const roles = ELIGIBLE_ROLES[product];
  if (!onBehalf) {
    if (roles.own.includes(submitterRole)) return null;
    return {
      reason: 'submitter-role-not-eligible',
      message: `role ${submitterRole} may not open ${product} cases for its own subscription (allowed: ${roles.own.join(', ')})`,
    };
  }
  if (roles.onBehalfOfCustomer.includes(submitterRole)) return null;
  if (roles.onBehalfAsPartnerOfRecord.includes(submitterRole)) {
    if (partnerOfRecord) return null;
    return {
      reason: 'not-partner-of-record',
      message: `on behalf of a customer, role ${submitterRole} may open ${product} cases only as the customer's partner of record (or with ${roles.onBehalfOfCustomer.join(' / ')} rights on its subscription)`,
    };
  }
  const asPartnerOfRecord = roles.onBehalfAsPartnerOfRecord.map((role) => `${role} as partner of record`);
  return {
    reason: 'submitter-role-not-eligible',
    message: `role ${submitterRole} may not open ${product} cases on behalf of a customer (allowed: ${[...roles.onBehalfOfCustomer, ...asPartnerOfRecord].join(', ')})`,
  };
}

/** Every reason a repair submission is out of scope; empty when it is eligible. */
export function eligibilityFailures(submission: {
  product: CoveredProduct;
  submitterRole: SubmitterRole;
  customerId: string | null;
  azure: AzureDetails | null;
  /** Absent on submissions recorded before it was asked: not the partner of record. */
  partnerOfRecord?: boolean;
  crmOnline?: CrmOnlineDetails | null;
}): EligibilityFailure[] {
  const { product, submitterRole, customerId, azure } = submission;
  const failures: EligibilityFailure[] = [];
  if (product === 'azure') failures.push(...fieldFailures(azure, AZURE_FIELDS));
  if (product === 'crm-online') failures.push(...fieldFailures(submission.crmOnline, CRM_ONLINE_FIELDS));
  const role = roleFailure(product, submitterRole, customerId !== null, submission.partnerOfRecord === true);
  if (role) failures.push(role);
  return failures;
}

/**
 * The programme contract an Azure repair names, when well formed: the one bound to the partner on
 * first use and compared with the binding afterwards (a malformed one is rejected, never bound).
 */
export function requestedProgrammeContract(submission: {
  product: Product;
  requestType: RequestType;
  azure?: AzureDetails | null;
}): ProgrammeContract | null {
  const { product, requestType, azure } = submission;
  if (product !== 'azure' || requestType !== 'repair' || !azure) return null;
  return wellFormedContract(azure);
}
