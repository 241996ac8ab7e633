import { DomainEvent } from '../shared/decider';
import { EngineerAvailability } from './engineer.types';

/** `at` is when the event happened (the decision's `now`), ISO-8601 UTC; `by` is the actor. */
export type EngineerRegistered = DomainEvent<
  'EngineerRegistered',
  {
    readonly engineerId: string;
    readonly name: string;
    readonly email: string;
    /** null: this engineer is a manager. */
    readonly managerId: string | null;
    readonly timeZone: string;
    readonly by: string;
    readonly at: string;
  }
>;

export type EngineerAvailabilityChanged = DomainEvent<
  'EngineerAvailabilityChanged',
  {
    readonly engineerId: string;
    readonly status: EngineerAvailability;
    readonly previousStatus: EngineerAvailability;
    readonly by: string;
    readonly at: string;
  }
>;

/** The engineer's backup (first stop of the escalation path after the engineer); null: none. */
export type BackupEngineerNamed = DomainEvent<
  'BackupEngineerNamed',
  {
    readonly engineerId: string;
    readonly backupEngineerId: string | null;
    readonly previousBackupEngineerId: string | null;
    readonly by: string;
    readonly at: string;
  }
>;

export type EngineerEvent = EngineerRegistered | EngineerAvailabilityChanged | BackupEngineerNamed;

export const ENGINEER_EVENT_TYPES: ReadonlyArray<EngineerEvent['type']> = [
  'EngineerRegistered',
  'EngineerAvailabilityChanged',
  'BackupEngineerNamed',
];
