import { EngineerAvailability } from './engineer.types';

type Command<T extends string, D extends object> = { readonly type: T; readonly data: D };

/**
 * What the handler found when it looked up `managerId` (the decider cannot read other streams):
 * null when no engineer has that id; otherwise that engineer's own managerId (a manager is an
 * engineer without one).
 */
export interface ManagerLookup {
  readonly engineerId: string;
  readonly managerId: string | null;
}

export type RegisterEngineer = Command<
  'RegisterEngineer',
  {
    readonly engineerId: string;
    readonly name: string;
    readonly email: string;
    readonly managerId?: string | null;
    readonly timeZone: string;
    /** Required when managerId is set: the lookup of that id (null = no such engineer). */
    readonly manager?: ManagerLookup | null;
    /** Optional: the engineer's backup, and the lookup of that id (null = no such engineer). */
    readonly backupEngineerId?: string | null;
    readonly backup?: { readonly engineerId: string } | null;
    readonly by: string;
  }
>;

export type ChangeAvailability = Command<
  'ChangeAvailability',
  { readonly status: EngineerAvailability; readonly by: string }
>;

/**
 * The engineer who takes this one's severity-A calls while it is not on shift; null removes it.
 * `backup` is what the handler found under that id (null = no such engineer).
 */
export type NameBackupEngineer = Command<
  'NameBackupEngineer',
  {
    readonly backupEngineerId: string | null;
    readonly backup: { readonly engineerId: string } | null;
    readonly by: string;
  }
>;

export type EngineerCommand = RegisterEngineer | ChangeAvailability | NameBackupEngineer;
