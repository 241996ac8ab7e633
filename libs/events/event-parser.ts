import type { RecordedEvent } from '../event-store/event-store';
import type { DomainEvent } from '../domain/shared/decider';
import { CASE_EVENT_TYPES } from '../domain/case/case.events';
import { ENGINEER_EVENT_TYPES } from '../domain/engineer/engineer.events';
import { DUTY_MANAGER_EVENT_TYPES } from '../domain/duty-manager/duty-manager.events';
import type { StoredCaseEvent, StoredEvent } from './stored-event';
import { UPCASTERS, Upcasters } from './upcasters';

const CASE_TYPES: ReadonlySet<string> = new Set(CASE_EVENT_TYPES);
const KNOWN_TYPES: ReadonlySet<string> = new Set<string>([
  ...CASE_EVENT_TYPES,
  ...ENGINEER_EVENT_TYPES,
  ...DUTY_MANAGER_EVENT_TYPES,
]);

export type EventParser = (event: RecordedEvent) => StoredEvent | null;

/**
 * The one place where a stored event becomes a domain event: its type must be one of the
 * domain's, its data an object, brought to today's shape by the type's upcasters. Events of
 * other types (written by a newer version, by tests, or by other writers of the store) give null:
 * consumers skip them, and their checkpoints still move past them.
 */
export function createEventParser(upcasters: Upcasters = UPCASTERS): EventParser {
  return (event) => {
    if (!KNOWN_TYPES.has(event.type)) return null;
    const data = upcastData(event, upcasters);
    if (!data) return null;
    // The domain's types describe what the deciders wrote (and the upcasters restored): this is
    // the only place that takes a stored event for a domain event.
    return (data === event.data ? event : { ...event, data }) as unknown as StoredEvent;
  };
}

/** The event's data in today's shape (its type's upcasters applied), or null if it is no object. */
function upcastData(event: RecordedEvent, upcasters: Upcasters): Record<string, unknown> | null {
  const stored: unknown = event.data;
  if (stored === null || typeof stored !== 'object' || Array.isArray(stored)) return null;
  const steps = upcasters[event.type];
  return steps?.length ? steps.reduce((d, upcast) => upcast(d, event), event.data) : event.data;
}

export const parseStoredEvent: EventParser = createEventParser();

/** The domain events among these stored events, in order (see createEventParser). */
export function parseStoredEvents(
  events: readonly RecordedEvent[],
  parse: EventParser = parseStoredEvent,
): StoredEvent[] {
  const parsed: StoredEvent[] = [];
  for (const event of events) {
    const known = parse(event);
    if (known) parsed.push(known);
  }
  return parsed;
}

/**
 * A stream's events as one decider's events, without their envelopes: what the write path folds
 * and answers with. A stream holds only its decider's types; another type (not written by this
 * code) is skipped, as every consumer skips it (the decider's evolve would ignore it anyway).
 */
export function parseStreamEvents<E extends DomainEvent>(
  recorded: readonly RecordedEvent[],
  types: readonly E['type'][],
  upcasters: Upcasters = UPCASTERS,
): E[] {
  const parsed: E[] = [];
  for (const event of recorded) {
    const data = types.includes(event.type) ? upcastData(event, upcasters) : null;
    // The type is one of the decider's own and the data an object in today's shape.
    if (data) parsed.push({ type: event.type, data } as E);
  }
  return parsed;
}

/** The other direction: a domain event's data as the store keeps it (a JSON object). */
export function storedData(event: DomainEvent): Record<string, unknown> {
  // Every domain event's data is a plain object of JSON values (the deciders build them so).
  return event.data as Record<string, unknown>;
}

export function isCaseEvent(event: StoredEvent): event is StoredCaseEvent {
  return CASE_TYPES.has(event.type);
}

/** A case stream's events as the domain's case events (for folding with the case decider's evolve). */
export function parseCaseEvents(
  events: readonly RecordedEvent[],
  parse: EventParser = parseStoredEvent,
): StoredCaseEvent[] {
  return parseStoredEvents(events, parse).filter(isCaseEvent);
}
