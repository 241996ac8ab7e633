import type { CaseSubmitted } from '../../domain/case/case.events';
import type { CaseContact } from '../case-contact';
import { body, localTime, MailText, subjectOf } from './mail-text';

/** At submission: the reference, and what the partner submitted. */
export function confirmationMail(c: CaseContact, data: CaseSubmitted['data']): MailText {
  return {
    subject: subjectOf(c, `We received your service request: ${data.summary}`),
    text: body(
      c,
      `we received your service request on ${localTime(data.at, c.contact.timeZone)}. Its reference is ${c.reference}.`,
      [
        `Summary: ${data.summary}`,
        `Product: ${data.product} (${data.topic}, ${data.feature})`,
        `Severity you proposed: ${data.proposedSeverity ?? 'none (our support team sets it)'}`,
      ].join('\n'),
      'We will write to you at this address when an engineer sends an update, when the severity is lowered and when the case is resolved.',
    ),
  };
}
