import { SEVERITIES, Severity } from '../domain/case/case.types';
import type { StoredCaseEvent } from '../events/stored-event';
import type { CaseContact } from './case-contact';
import { messageIdOf, NotificationKind, OutgoingMail } from './outgoing-mail';
import { confirmationMail } from './templates/confirmation.template';
import type { MailText } from './templates/mail-text';
import { rejectionMail } from './templates/rejection.template';
import { resolutionMail } from './templates/resolution.template';
import { severityLoweredMail } from './templates/severity-lowered.template';
import { updateMail } from './templates/update.template';
import { billingFeedbackMail } from './templates/billing-feedback.template';

type Recipient = OutgoingMail['to'];
const billingFeedbackRecipient = (address: string): Recipient => ({ name: 'Billing feedback', address });

/** The case events that may make a mail: the reactor reads a case's contact only for these. */
export const NOTIFYING_EVENT_TYPES: ReadonlySet<StoredCaseEvent['type']> = new Set([
  'CaseSubmitted',
  'CaseRejected',
  'UpdateSent',
  'SeverityAssigned',
  'SeverityLowered',
  'CaseResolved',
  'EscalatedToBillingFeedback',
]);

/** A is the most urgent: a change to a later letter lowers the severity. */
const lowers = (from: Severity | null, to: Severity): from is Severity =>
  from !== null && SEVERITIES.indexOf(to) > SEVERITIES.indexOf(from);

/**
 * The one place that decides which event tells the partner what: the mail for `event` (to the
 * case's contact, its Message-ID the event's), or null for an event the partner is not written
 * about. A billing case's escalation goes to the billing feedback address its event records. `previous` is the event before it in the case's stream, for a SeverityLowered (see
 * `needsPrevious`).
 */
export function caseNotification(
  event: StoredCaseEvent,
  contact: CaseContact,
  previous: StoredCaseEvent | null = null,
): OutgoingMail | null {
  const made = mailOf(event, contact, previous);
  if (!made) return null;
  const [kind, text, to] = made;
  const confirmation = messageIdOf(contact.submissionEventId);
  const messageId = messageIdOf(event.id);
  return {
    kind,
    messageId,
    threadId: messageId === confirmation ? null : confirmation,
    to: to ?? { name: contact.contact.name, address: contact.contact.email },
    ...text,
    caseId: contact.caseId,
    reference: contact.reference,
    eventId: event.id,
  };
}

/**
 * A SeverityLowered (A to B: the partner is not available 24x7) that follows staff setting A on
 * a B or C case leaves the severity where it was or raises it (C to B): no lowering to tell. The
 * event before it says which (the decision's SeverityAssigned, or the availability change).
 */
export const needsPrevious = (event: StoredCaseEvent): boolean => event.type === 'SeverityLowered';

function mailOf(
  event: StoredCaseEvent,
  c: CaseContact,
  previous: StoredCaseEvent | null,
): [NotificationKind, MailText, Recipient?] | null {
  switch (event.type) {
    case 'CaseSubmitted':
      return ['confirmation', confirmationMail(c, event.data)];
    case 'CaseRejected':
      return ['rejection', rejectionMail(c, event.data)];
    case 'UpdateSent':
      return ['update', updateMail(c, event.data)];
    case 'SeverityAssigned': {
      const { previousSeverity: from, severity: to, reason } = event.data;
      return lowers(from, to) ? ['severity-lowered', severityLoweredMail(c, { from, to, reason })] : null;
    }
    case 'SeverityLowered': {
      // Also with the submission (a proposed A from a partner not available 24x7, previous
      // null): the confirmation says what was proposed, this mail what it became and why.
      const before = previous?.type === 'SeverityAssigned' ? previous.data.previousSeverity : 'A';
      if (before !== null && before !== 'A') return null;
      return ['severity-lowered', severityLoweredMail(c, event.data)];
    }
    case 'CaseResolved':
      return ['resolution', resolutionMail(c, event.data)];
    case 'EscalatedToBillingFeedback':
      // Not to the contact: the escalation goes to the address it records.
      return ['billing-feedback', billingFeedbackMail(c, event.data), billingFeedbackRecipient(event.data.address)];
    default:
      return null;
  }
}
