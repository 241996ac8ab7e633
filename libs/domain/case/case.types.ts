import type { Severity } from '../sla/sla-clock';

export type { Severity };

/** Products of the programme. Only the first five are covered; the CRM side-offerings are not. */
export const COVERED_PRODUCTS = ['office365', 'crm-online', 'intune', 'enterprise-mobility', 'azure'] as const;
export const NOT_COVERED_PRODUCTS = ['crm-social-listening', 'dynamics-marketing', 'parature'] as const;
export const PRODUCTS = [...COVERED_PRODUCTS, ...NOT_COVERED_PRODUCTS] as const;
export type CoveredProduct = (typeof COVERED_PRODUCTS)[number];
export type Product = (typeof PRODUCTS)[number];
export const isCoveredProduct = (product: Product): product is CoveredProduct =>
  (COVERED_PRODUCTS as readonly string[]).includes(product);

/** Only `repair` (break/fix) is worked here; every other type is routed to its team. */
export const REQUEST_TYPES = ['repair', 'billing', 'presales', 'advisory', 'deployment', 'password-reset'] as const;
export type RequestType = (typeof REQUEST_TYPES)[number];

export const SUBMITTER_ROLES = ['admin', 'co-admin', 'delegated-admin', 'owner', 'contributor', 'user'] as const;
export type SubmitterRole = (typeof SUBMITTER_ROLES)[number];

export const SEVERITIES = ['A', 'B', 'C'] as const;
export const UPDATE_CHANNELS = ['email', 'phone', 'portal'] as const;
export type UpdateChannel = (typeof UPDATE_CHANNELS)[number];

/** Teams a submission that is not worked here goes to. */
export type RoutingTeam =
  'billing' | 'pre-sales' | 'advisory' | 'deployment' | 'password-reset' | 'product-not-covered';

export interface Contact {
  readonly name: string;
  readonly email: string;
  readonly phone?: string;
  /** IANA zone: business-time SLA clocks run in it. */
  readonly timeZone: string;
  /** ISO 3166 country: whose public holidays close the business calendar. */
  readonly country?: string;
  /** One of the country's regions (NSW, CA, BY...): its own public holidays close the calendar too. */
  readonly region?: string;
}

/** Metadata only: the content lives elsewhere. */
export interface Attachment {
  readonly name: string;
  readonly contentType: string;
  readonly sizeBytes: number;
}

/** The programme's Azure identifiers; each missing one is a distinct rejection reason. */
export interface AzureDetails {
  readonly subscriptionId?: string | null;
  readonly accessId?: string | null;
  readonly contractId?: string | null;
}

/**
 * The CRM Online conditions the submitter states: the Office 365 sign-in it uses for the
 * Microsoft Online portal, and its CRM Online subscription. Each missing one is a rejection reason.
 */
export interface CrmOnlineDetails {
  readonly office365SignIn?: string | null;
  readonly subscriptionId?: string | null;
}

/** The actor of commands issued by timers (warnings, breaches, automatic escalations). */
export const SYSTEM_ACTOR = 'system';

/** What the partner reports about the problem: recorded as submitted and shown on the case. */
export interface ProblemReport {
  readonly topic: string;
  readonly feature: string;
  readonly symptom: string;
  readonly summary: string;
  readonly details: string;
  readonly serviceUnavailable: boolean;
  readonly usersAffected: number;
  readonly contact: Contact;
}

export const problemReportOf = (r: ProblemReport): ProblemReport => ({
  topic: r.topic,
  feature: r.feature,
  symptom: r.symptom,
  summary: r.summary,
  details: r.details,
  serviceUnavailable: r.serviceUnavailable,
  usersAffected: r.usersAffected,
  contact: r.contact,
});
