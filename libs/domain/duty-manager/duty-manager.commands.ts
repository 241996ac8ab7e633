import type { ManagerLookup } from '../engineer/engineer.commands';

/**
 * An admin names the duty manager (null: nobody on duty). `manager` is what the handler found
 * under that id (the decider cannot read the engineer's stream): null = no such engineer.
 */
export type SetDutyManager = {
  readonly type: 'SetDutyManager';
  readonly data: { readonly managerId: string | null; readonly manager: ManagerLookup | null; readonly by: string };
};

export type DutyManagerCommand = SetDutyManager;
