import type { EscalatedToBillingFeedback } from '../../domain/case/case.events';
import type { CaseContact } from '../case-contact';
import { MailText } from './mail-text';

/**
 * A routed billing case escalated to the billing feedback address: the mail that takes it there.
 * It is written to the feedback team, not to the partner: the case, who escalated it and why, and
 * whom to answer (the case's contact).
 */
export function billingFeedbackMail(c: CaseContact, data: EscalatedToBillingFeedback['data']): MailText {
  const contact = `${c.contact.name} <${c.contact.email}>`;
  return {
    subject: `[${c.reference}] Billing case escalated to billing feedback`,
    text: [
      `The billing case ${c.reference} was routed to the billing team and is now escalated to this address by ${data.by} at ${data.at} (UTC).`,
      `Reason: ${data.reason}`,
      `The case: ${c.summary}`,
      `Contact: ${contact}`,
      `Please quote the reference ${c.reference} when you answer.`,
      '-- \nCasetrail partner support (an automatic message)',
    ].join('\n\n'),
  };
}
