import type { CaseContact } from '../case-contact';
import { body, MailText, subjectOf } from './mail-text';

/** The case's severity went down (less urgent): from what, to what, and why. */
export function severityLoweredMail(c: CaseContact, change: { from: string; to: string; reason: string }): MailText {
  return {
    subject: subjectOf(c, `Severity lowered from ${change.from} to ${change.to}`),
    text: body(c, `the severity of your case is now ${change.to} (it was ${change.from}).`, `Reason: ${change.reason}`),
  };
}
