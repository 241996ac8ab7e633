import type { CaseRejected } from '../../domain/case/case.events';
import type { CaseContact } from '../case-contact';
import { body, MailText, subjectOf } from './mail-text';

/** The submission was recorded but is out of the programme's scope: why. */
export function rejectionMail(c: CaseContact, data: CaseRejected['data']): MailText {
  return {
    subject: subjectOf(c, 'Your service request could not be accepted'),
    text: body(
      c,
      `your service request "${c.summary}" could not be accepted: ${data.message}`,
      data.failures.length > 1 ? `All the reasons:\n${data.failures.map((f) => `- ${f.message}`).join('\n')}` : '',
    ),
  };
}
