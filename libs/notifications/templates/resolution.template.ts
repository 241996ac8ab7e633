import type { CaseResolved } from '../../domain/case/case.events';
import type { CaseContact } from '../case-contact';
import { body, localTime, MailText, subjectOf } from './mail-text';

/** The case is resolved: how. */
export function resolutionMail(c: CaseContact, data: CaseResolved['data']): MailText {
  return {
    subject: subjectOf(c, 'Your case is resolved'),
    text: body(
      c,
      `your case was resolved on ${localTime(data.at, c.contact.timeZone)}:`,
      data.summary,
      'If the problem comes back, contact us with the reference: the case can be reopened.',
    ),
  };
}
