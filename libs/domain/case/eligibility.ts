import { AzureDetails, CoveredProduct, SubmitterRole } from './case.types';

export type EligibilityReason =
  | 'azure-subscription-id-missing'
  | 'azure-access-id-missing'
  | 'azure-contract-id-missing'
  | 'submitter-role-not-eligible';

export interface EligibilityFailure {
  readonly reason: EligibilityReason;
  readonly message: string;
}

/** Roles that may open a repair case, for the submitter's own subscription or a customer's. */
export interface EligibleRoles {
  readonly own: readonly SubmitterRole[];
  readonly onBehalfOfCustomer: readonly SubmitterRole[];
}

/**
 * Intune and Enterprise Mobility: the source is silent; they are administered like CRM Online
 * (subscription administrators, or the partner's delegated administration), so they take its rule.
 */
export const ELIGIBLE_ROLES: Readonly<Record<CoveredProduct, EligibleRoles>> = {
  // Own: service administrator / co-administrator. On behalf: partner of record with admin
  // privileges, or write rights (owner / contributor) on the customer's subscription.
  azure: { own: ['admin', 'co-admin'], onBehalfOfCustomer: ['admin', 'owner', 'contributor'] },
  'crm-online': {
    own: ['admin', 'co-admin', 'delegated-admin'],
    onBehalfOfCustomer: ['admin', 'co-admin', 'delegated-admin'],
  },
  // Own tenant: its administrator. A customer's: only through delegated administration (DAP).
  office365: { own: ['admin'], onBehalfOfCustomer: ['delegated-admin'] },
  intune: {
    own: ['admin', 'co-admin', 'delegated-admin'],
    onBehalfOfCustomer: ['admin', 'co-admin', 'delegated-admin'],
  },
  'enterprise-mobility': {
    own: ['admin', 'co-admin', 'delegated-admin'],
    onBehalfOfCustomer: ['admin', 'co-admin', 'delegated-admin'],
  },
};

const AZURE_FIELDS: ReadonlyArray<[keyof AzureDetails, EligibilityReason, string]> = [
  ['subscriptionId', 'azure-subscription-id-missing', 'the Azure subscription ID is required'],
  ['accessId', 'azure-access-id-missing', "the programme's access ID is required for Azure"],
  ['contractId', 'azure-contract-id-missing', "the programme's contract ID is required for Azure"],
];

const isBlank = (value: string | null | undefined): boolean => !value || value.trim() === '';

/** Every reason a repair submission is out of scope; empty when it is eligible. */
export function eligibilityFailures(submission: {
  product: CoveredProduct;
  submitterRole: SubmitterRole;
  customerId: string | null;
  azure: AzureDetails | null;
}): EligibilityFailure[] {
  const { product, submitterRole, customerId, azure } = submission;
  const failures: EligibilityFailure[] = [];
  if (product === 'azure') {
    for (const [field, reason, message] of AZURE_FIELDS) {
      if (isBlank(azure?.[field])) failures.push({ reason, message });
    }
  }
  const onBehalf = customerId !== null;
  const allowed = onBehalf ? ELIGIBLE_ROLES[product].onBehalfOfCustomer : ELIGIBLE_ROLES[product].own;
  if (!allowed.includes(submitterRole)) {
    const scope = onBehalf ? 'on behalf of a customer' : 'for its own subscription';
    failures.push({
      reason: 'submitter-role-not-eligible',
      message: `role ${submitterRole} may not open ${product} cases ${scope} (allowed: ${allowed.join(', ')})`,
    });
  }
  return failures;
}
