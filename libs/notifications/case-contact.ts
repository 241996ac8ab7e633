import type { Contact } from '../domain/case/case.types';

/** What every mail of a case needs from its submission (the first event of its stream). */
export interface CaseContact {
  readonly caseId: string;
  readonly reference: string;
  /** The submission's contact: its `email` was validated when the case was submitted. */
  readonly contact: Contact;
  readonly summary: string;
  /** The id of the CaseSubmitted event: the confirmation's Message-ID, which the case's other mails refer to. */
  readonly submissionEventId: string;
}
