import { Decider, DecideContext } from '../shared/decider';
import { NotFoundError, ValidationError } from '../shared/domain-errors';
import { DutyManagerCommand } from './duty-manager.commands';
import { DUTY_MANAGER_EVENT_TYPES, DutyManagerEvent } from './duty-manager.events';

/** One stream for the whole service: who is on duty now (null: nobody). */
export interface DutyManagerState {
  readonly managerId: string | null;
  readonly since: string | null;
  readonly by: string | null;
}

export function decideDutyManager(
  command: DutyManagerCommand,
  state: DutyManagerState,
  { now }: DecideContext,
): DutyManagerEvent[] {
  const { managerId, manager, by } = command.data;
  if (managerId !== null) {
    if (!manager || manager.engineerId !== managerId) {
      throw new NotFoundError(`manager ${managerId} not found`, { managerId });
    }
    // The hierarchy is one level deep: a manager is an engineer without a manager of its own.
    if (manager.managerId !== null) {
      throw new ValidationError(`${managerId} is not a manager (reports to ${manager.managerId})`, 'managerId', {
        managerId,
      });
    }
  }
  if (managerId === state.managerId) return [];
  return [{ type: 'DutyManagerSet', data: { managerId, previousManagerId: state.managerId, by, at: now } }];
}

export function evolveDutyManager(state: DutyManagerState, event: DutyManagerEvent): DutyManagerState {
  switch (event.type) {
    case 'DutyManagerSet':
      return { managerId: event.data.managerId, since: event.data.at, by: event.data.by };
  }
}

export const dutyManagerDecider: Decider<DutyManagerCommand, DutyManagerEvent, DutyManagerState, DecideContext> = {
  initialState: () => ({ managerId: null, since: null, by: null }),
  decide: decideDutyManager,
  evolve: evolveDutyManager,
  eventTypes: DUTY_MANAGER_EVENT_TYPES,
};
