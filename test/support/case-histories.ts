import { randomUUID } from 'node:crypto';
import type { DecidedEvent } from '../../libs/domain/case/testing/random-history';
import type { EventStore } from '../../libs/event-store/event-store';
import { storedData } from '../../libs/events/event-parser';

/** Stores a decided case history (randomCaseHistory) as the case's new stream, as staff's commands would have. */
export async function appendCaseHistory(
  store: Pick<EventStore, 'append'>,
  caseId: string,
  history: readonly DecidedEvent[],
): Promise<void> {
  await store.append(
    `case-${caseId}`,
    history.map(({ event, now }) => ({
      id: randomUUID(),
      type: event.type,
      data: storedData(event),
      metadata: { actor: 'support:alice', occurredAt: now, correlationId: randomUUID(), causationId: null },
    })),
    'no_stream',
  );
}
