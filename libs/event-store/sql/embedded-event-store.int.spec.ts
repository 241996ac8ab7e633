import { describeEventStoreConformance } from '../conformance/event-store.conformance';
import { createEmbeddedEventStore } from './create-sql-event-store';

// One in-memory PGlite per test file (each instance costs ~2 s to start).
describeEventStoreConformance('embedded (PGlite)', async () => {
  const store = await createEmbeddedEventStore(undefined);
  return { store, cleanup: () => store.close() };
});
