import { describeEventStoreConformance } from '../conformance/event-store.conformance';
import { createSchemaEventStore } from '../../../test/support/test-database';

// Own schema per test file, so parallel jest workers never share tables.
describeEventStoreConformance('postgres', () => createSchemaEventStore('ct_test_es', 24));
