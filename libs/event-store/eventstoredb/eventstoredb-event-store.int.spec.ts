import { describeEventStoreConformance } from '../conformance/event-store.conformance';
import { createEventStoreDbEventStore } from './eventstoredb-event-store';

const connectionString = process.env.EVENTSTORE_CONNECTION_STRING;

if (connectionString) {
  // Streams in EventStoreDB cannot be dropped cheaply (deletes leave tombstones and $all keeps the
  // records until a scavenge), so runs share one server and never clean up. That is safe because
  // the conformance suite chooses its own stream ids with a random per-run prefix ("conf<run>-…")
  // and only looks at those streams, even when reading $all.
  describeEventStoreConformance('eventstoredb', async () => {
    const store = await createEventStoreDbEventStore(connectionString);
    await store.ping();
    return { store, cleanup: () => store.close() };
  });
} else {
  describe('EventStore conformance: eventstoredb', () => {
    it('needs EVENTSTORE_CONNECTION_STRING', () => {
      console.warn(
        'EventStoreDB conformance skipped: EVENTSTORE_CONNECTION_STRING is not set (start one with: docker compose -f docker/compose.yaml up -d eventstoredb)',
      );
    });
  });
}
