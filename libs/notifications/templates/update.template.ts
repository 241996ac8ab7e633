import type { UpdateSent } from '../../domain/case/case.events';
import type { CaseContact } from '../case-contact';
import { body, localTime, MailText, subjectOf } from './mail-text';

/** Each update staff send on the case (also the summary of a wait on the partner). */
export function updateMail(c: CaseContact, data: UpdateSent['data']): MailText {
  return {
    subject: subjectOf(c, 'An update on your case'),
    text: body(c, `our engineer sent an update on ${localTime(data.at, c.contact.timeZone)}:`, data.summary),
  };
}
