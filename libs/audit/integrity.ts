import { EventStore, IntegrityReport } from '../event-store/event-store';

/** What `verify` found: intact, broken (with the first broken event), or a store that keeps no chain. */
export type VerificationOutcome =
  | { readonly status: 'intact'; readonly report: IntegrityReport }
  | { readonly status: 'broken'; readonly report: IntegrityReport }
  | { readonly status: 'unsupported'; readonly store: EventStore['kind'] };

/** Verifies every stream's hash chain when the store keeps one. */
export async function verifyEventStore(
  store: EventStore,
  onProgress?: (checked: number) => void,
): Promise<VerificationOutcome> {
  if (!store.verifyIntegrity) return { status: 'unsupported', store: store.kind };
  const report = await store.verifyIntegrity(onProgress);
  return { status: report.broken ? 'broken' : 'intact', report };
}

/** The one line an operator reads. */
export function describeOutcome(outcome: VerificationOutcome): string {
  switch (outcome.status) {
    case 'unsupported':
      return `verification is not supported by the ${outcome.store} event store (it keeps no hash chain)`;
    case 'intact':
      return `verified ${outcome.report.checked} events in ${outcome.report.streams} streams`;
    case 'broken': {
      const b = outcome.report.broken!;
      const event = b.eventId ? `event ${b.eventId} at position ${b.position}` : 'a missing event';
      return (
        `BROKEN: stream ${b.streamId} revision ${b.revision}, ${event}: ${b.reason} ` +
        `(first broken event by global position; ${outcome.report.checked} events in ${outcome.report.streams} streams checked)`
      );
    }
  }
}
