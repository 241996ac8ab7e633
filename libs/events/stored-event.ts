import type { RecordedEvent } from '../event-store/event-store';
import type { DomainEvent } from '../domain/shared/decider';
import type { CaseEvent } from '../domain/case/case.events';
import type { EngineerEvent } from '../domain/engineer/engineer.events';
import type { DutyManagerEvent } from '../domain/duty-manager/duty-manager.events';

/** Every event type of the domain that consumers read from the store. */
export type AppEvent = CaseEvent | EngineerEvent | DutyManagerEvent;

/**
 * A stored event with its domain type: the store's envelope (id, stream, revision, position,
 * checkpoint, metadata) and the domain event's `type` and `data`. Distributes over a union, so a
 * `switch (event.type)` narrows `event.data`.
 */
export type Stored<E extends DomainEvent> = E extends DomainEvent
  ? Omit<RecordedEvent, 'type' | 'data'> & { readonly type: E['type']; readonly data: E['data'] }
  : never;

export type StoredEvent = Stored<AppEvent>;
export type StoredCaseEvent = Stored<CaseEvent>;
export type StoredEngineerEvent = Stored<EngineerEvent>;
