import type { RecordedEvent } from '../event-store/event-store';

/**
 * Turns the data of an event written by an older version into the shape its type has today.
 * Pure, and given the whole stored event (an upcaster may need its metadata, e.g. occurredAt).
 */
export type Upcaster = (data: Record<string, unknown>, event: RecordedEvent) => Record<string, unknown>;

/** Upcasters by event type, applied in order. */
export type Upcasters = Readonly<Record<string, readonly Upcaster[]>>;

/**
 * The upcasters the service runs. Empty today: the shapes written so far only ever gained
 * optional fields, which the types mark optional and `evolve` reads with a default (see
 * docs/domain.md). A change that renames or restructures a field adds its upcaster here, with a
 * test in event-parser.unit.spec.ts, and consumers keep seeing one shape.
 */
export const UPCASTERS: Upcasters = {};
