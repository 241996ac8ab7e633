/**
 * The one place that knows how streams are named. Writers build names with the `...StreamId`
 * functions; consumers recover the id with `...IdOfStream` (never by slicing a prefix off).
 */

const CASE_PREFIX = 'case-';
const ENGINEER_PREFIX = 'engineer-';
/** Case ids are UUIDs (chosen by the service at submission). */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A case's stream: `case-<caseId>`. */
export const caseStreamId = (caseId: string): string => `${CASE_PREFIX}${caseId}`;

/**
 * The case id of a case stream, or null for any other stream. Only streams the service itself
 * names (`case-<uuid>`) count: a stream written by hand under another name is not a case.
 */
export function caseIdOfStream(streamId: string): string | null {
  if (!streamId.startsWith(CASE_PREFIX)) return null;
  const id = streamId.slice(CASE_PREFIX.length);
  return UUID.test(id) ? id : null;
}

/** An engineer's stream: `engineer-<engineerId>`. */
export const engineerStreamId = (engineerId: string): string => `${ENGINEER_PREFIX}${engineerId}`;

/** The stream of every SLA policy the service has run with, one SlaPolicyRecorded each. */
export const SLA_POLICY_STREAM = 'sla-policies';

/** The duty manager's stream: one DutyManagerSet per change of who is on duty. */
export const DUTY_MANAGER_STREAM = 'duty-manager';

const PARTNER_PREFIX = 'partner-';
/** A partner's stream: `partner-<partnerId>` (its programme contract binding). */
export const partnerStreamId = (partnerId: string): string => `${PARTNER_PREFIX}${partnerId}`;
