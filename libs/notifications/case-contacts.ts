import type { EventStore } from '../event-store/event-store';
import { parseCaseEvents } from '../events/event-parser';
import type { StoredCaseEvent } from '../events/stored-event';
import { caseStreamId } from '../events/streams';
import type { CaseContact } from './case-contact';
import { BoundedMap } from '../platform/collections/bounded-map';

/** Cases whose contact is remembered; beyond, the oldest is read again from its stream when needed. */
const REMEMBERED = 10_000;

/**
 * Each case's contact and reference, from its submission: the first event of its stream, which
 * never changes (so a remembered one is never stale). Read from the store, not from a read model,
 * which may lag the event being notified.
 */
export class CaseContacts {
  private readonly known = new BoundedMap<string, CaseContact>(REMEMBERED);

  constructor(private readonly store: Pick<EventStore, 'readStream'>) {}

  /** The contact for the case of `event`; null if its stream holds no submission (not written by this service). */
  async of(event: StoredCaseEvent): Promise<CaseContact | null> {
    const caseId = event.data.caseId;
    const known = this.known.get(caseId);
    if (known) return known;
    const submitted =
      event.type === 'CaseSubmitted'
        ? event
        : parseCaseEvents(await this.store.readStream(caseStreamId(caseId), { maxCount: 1 }))[0];
    if (submitted?.type !== 'CaseSubmitted') return null;
    return this.remember(contactOf(submitted));
  }

  /** The event just before `event` in its case's stream (what the same decision recorded first), or null. */
  async before(event: StoredCaseEvent): Promise<StoredCaseEvent | null> {
    if (event.revision === 0) return null;
    const [previous] = parseCaseEvents(
      await this.store.readStream(caseStreamId(event.data.caseId), { fromRevision: event.revision - 1, maxCount: 1 }),
    );
    return previous ?? null;
  }

  private remember(contact: CaseContact): CaseContact {
    this.known.set(contact.caseId, contact);
    return contact;
  }
}

function contactOf(submitted: Extract<StoredCaseEvent, { type: 'CaseSubmitted' }>): CaseContact {
  const { caseId, reference, contact, summary } = submitted.data;
  return { caseId, reference, contact, summary, submissionEventId: submitted.id };
}
