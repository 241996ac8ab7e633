import { DateTime } from 'luxon';
import type { CaseContact } from '../case-contact';

/** A rendered template: the subject line and the plain-text body. */
export interface MailText {
  readonly subject: string;
  readonly text: string;
}

/** An instant as the contact reads it: in the contact's own time zone, with the zone named. */
export function localTime(iso: string, timeZone: string): string {
  const local = DateTime.fromISO(iso, { zone: 'utc' }).setZone(timeZone);
  return local.isValid ? `${local.toFormat('yyyy-MM-dd HH:mm')} (${timeZone})` : iso;
}

/** Every subject starts with the reference: the partner's mail reader sorts and threads by it. */
export const subjectOf = (c: CaseContact, what: string): string => `[${c.reference}] ${what}`;

/** The greeting, the paragraphs (empty ones left out), and the line that asks for the reference in any reply. */
export function body(c: CaseContact, ...paragraphs: string[]): string {
  return [
    `Hello ${c.contact.name},`,
    ...paragraphs.filter(Boolean),
    `Please quote the reference ${c.reference} whenever you contact us about this case.`,
    '-- \nCasetrail partner support (an automatic message)',
  ].join('\n\n');
}
