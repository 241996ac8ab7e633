import { EngineerAvailability } from './engineer.types';

export interface Engineer {
  readonly engineerId: string;
  readonly name: string;
  readonly email: string;
  /** null: a manager. */
  readonly managerId: string | null;
  readonly timeZone: string;
  readonly availability: EngineerAvailability;
  /** Who takes this engineer's severity-A calls while it is not on shift; null: nobody named. */
  readonly backupEngineerId: string | null;
  readonly registeredAt: string;
  readonly updatedAt: string;
}

/** null until EngineerRegistered: the stream does not exist. */
export type EngineerState = Engineer | null;

export const isManager = (engineer: Pick<Engineer, 'managerId'>): boolean => engineer.managerId === null;
