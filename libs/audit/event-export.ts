import { compareCheckpoints } from '../event-store/checkpoint';
import { EventStore, RecordedEvent } from '../event-store/event-store';

/** One line of an export: the event as stored, without the store's opaque checkpoint. */
export interface ExportedEvent {
  readonly streamId: string;
  readonly revision: number;
  readonly position: string;
  readonly eventId: string;
  readonly type: string;
  readonly data: Record<string, unknown>;
  readonly metadata: RecordedEvent['metadata'];
}

export function toExported(event: RecordedEvent): ExportedEvent {
  return {
    streamId: event.streamId,
    revision: event.revision,
    position: event.position,
    eventId: event.id,
    type: event.type,
    data: event.data,
    metadata: event.metadata,
  };
}

/** A case's stream name (libs/events/streams.ts names every stream). */
export { caseStreamId as caseStream } from '../events/streams';

/** [from, to) in epoch milliseconds, compared with each event's `metadata.occurredAt`. */
export interface TimeRange {
  readonly from: number;
  readonly to: number;
}

function inRange(event: RecordedEvent, range: TimeRange | undefined): boolean {
  if (!range) return true;
  const at = Date.parse(event.metadata?.occurredAt ?? '');
  return Number.isFinite(at) && at >= range.from && at < range.to;
}

/**
 * A stream's events in revision order, page by page (constant memory): nothing when the stream
 * does not exist. Optionally only those whose occurredAt is in `range`.
 */
export async function* streamEvents(
  store: EventStore,
  streamId: string,
  options: { range?: TimeRange; pageSize?: number } = {},
): AsyncGenerator<ExportedEvent> {
  const pageSize = options.pageSize ?? 1000;
  let fromRevision = 0;
  for (;;) {
    const page = await store.readStream(streamId, { fromRevision, maxCount: pageSize });
    for (const event of page) if (inRange(event, options.range)) yield toExported(event);
    if (page.length < pageSize) return;
    fromRevision = page[page.length - 1].revision + 1;
  }
}

/**
 * Every event whose occurredAt is in [from, to), in the all-events order, read page by page with
 * readAll (constant memory) up to the head as it is when the export starts. Where the store tells
 * its head, an empty page before it means readers cannot see the latest events yet (an open
 * transaction elsewhere holds them back): the export waits for them rather than stop short.
 */
export async function* eventsInRange(
  store: EventStore,
  range: TimeRange,
  options: { pageSize?: number; waitMs?: number } = {},
): AsyncGenerator<ExportedEvent> {
  const pageSize = options.pageSize ?? 1000;
  const head = (await store.headCheckpoint?.()) ?? null;
  const deadline = Date.now() + (options.waitMs ?? 30_000);
  let after: string | null = null;
  for (;;) {
    const page = await store.readAll({ after, maxCount: pageSize });
    for (const event of page.events) if (inRange(event, range)) yield toExported(event);
    if (page.events.length > 0) {
      after = page.checkpoint;
      continue;
    }
    if (head === null || compareCheckpoints(after, head) >= 0) return;
    if (Date.now() > deadline)
      throw new Error(
        `events up to ${head} stayed invisible for ${options.waitMs ?? 30_000} ms (a long transaction is open)`,
      );
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** True when `stream` has at least one event. */
export async function streamExists(store: EventStore, streamId: string): Promise<boolean> {
  return (await store.readStream(streamId, { maxCount: 1 })).length > 0;
}
