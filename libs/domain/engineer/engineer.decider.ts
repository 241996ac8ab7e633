import { Decider, DecideContext } from '../shared/decider';
import { IllegalStateError, NotFoundError, ValidationError } from '../shared/domain-errors';
import { ChangeAvailability, EngineerCommand, NameBackupEngineer, RegisterEngineer } from './engineer.commands';
import { ENGINEER_EVENT_TYPES, EngineerEvent } from './engineer.events';
import { EngineerState } from './engineer.state';

/**
 * Engineer decider. An engineer belongs to a manager (or is one: no managerId); the hierarchy
 * is one level deep, so a managerId must name a registered engineer that has no manager itself.
 */
export type EngineerContext = DecideContext;

function register(command: RegisterEngineer, state: EngineerState, { now }: EngineerContext): EngineerEvent[] {
  const { engineerId, name, email, timeZone, by } = command.data;
  if (state) throw new IllegalStateError(`engineer ${engineerId} is already registered`, { engineerId });
  const managerId = command.data.managerId ?? null;
  if (managerId !== null) {
    if (managerId === engineerId) {
      throw new ValidationError('an engineer cannot be their own manager', 'managerId', { managerId });
    }
    const manager = command.data.manager;
    if (!manager || manager.engineerId !== managerId) {
      throw new NotFoundError(`manager ${managerId} not found`, { managerId });
    }
    if (manager.managerId !== null) {
      throw new ValidationError(`${managerId} is not a manager (reports to ${manager.managerId})`, 'managerId', {
        managerId,
      });
    }
  }
  const registered: EngineerEvent = {
    type: 'EngineerRegistered',
    data: { engineerId, name, email, managerId, timeZone, by, at: now },
  };
  const backupEngineerId = command.data.backupEngineerId ?? null;
  if (backupEngineerId === null) return [registered];
  checkBackup(engineerId, backupEngineerId, command.data.backup ?? null);
  return [
    registered,
    {
      type: 'BackupEngineerNamed',
      data: { engineerId, backupEngineerId, previousBackupEngineerId: null, by, at: now },
    },
  ];
}

/** A backup is another registered engineer. */
function checkBackup(engineerId: string, backupEngineerId: string, backup: { engineerId: string } | null): void {
  if (backupEngineerId === engineerId) {
    throw new ValidationError('an engineer cannot be their own backup', 'backupEngineerId', { backupEngineerId });
  }
  if (!backup || backup.engineerId !== backupEngineerId) {
    throw new NotFoundError(`backup engineer ${backupEngineerId} not found`, { backupEngineerId });
  }
}

function changeAvailability(
  command: ChangeAvailability,
  state: EngineerState,
  { now }: EngineerContext,
): EngineerEvent[] {
  if (!state) throw new NotFoundError('engineer not found');
  const { status, by } = command.data;
  // Repeating the current status is not a change: nothing to record.
  if (status === state.availability) return [];
  return [
    {
      type: 'EngineerAvailabilityChanged',
      data: { engineerId: state.engineerId, status, previousStatus: state.availability, by, at: now },
    },
  ];
}

function nameBackup(command: NameBackupEngineer, state: EngineerState, { now }: EngineerContext): EngineerEvent[] {
  if (!state) throw new NotFoundError('engineer not found');
  const { backupEngineerId, backup, by } = command.data;
  if (backupEngineerId !== null) checkBackup(state.engineerId, backupEngineerId, backup);
  if (backupEngineerId === state.backupEngineerId) return [];
  return [
    {
      type: 'BackupEngineerNamed',
      data: {
        engineerId: state.engineerId,
        backupEngineerId,
        previousBackupEngineerId: state.backupEngineerId,
        by,
        at: now,
      },
    },
  ];
}

export function decideEngineer(
  command: EngineerCommand,
  state: EngineerState,
  context: EngineerContext,
): EngineerEvent[] {
  switch (command.type) {
    case 'RegisterEngineer':
      return register(command, state, context);
    case 'ChangeAvailability':
      return changeAvailability(command, state, context);
    case 'NameBackupEngineer':
      return nameBackup(command, state, context);
  }
}

export function evolveEngineer(state: EngineerState, event: EngineerEvent): EngineerState {
  switch (event.type) {
    case 'EngineerRegistered': {
      const { engineerId, name, email, managerId, timeZone, at } = event.data;
      return {
        engineerId,
        name,
        email,
        managerId,
        timeZone,
        availability: 'off-shift',
        backupEngineerId: null,
        registeredAt: at,
        updatedAt: at,
      };
    }
    case 'EngineerAvailabilityChanged':
      return state && { ...state, availability: event.data.status, updatedAt: event.data.at };
    case 'BackupEngineerNamed':
      return state && { ...state, backupEngineerId: event.data.backupEngineerId, updatedAt: event.data.at };
  }
}

export const engineerDecider: Decider<EngineerCommand, EngineerEvent, EngineerState, EngineerContext> = {
  initialState: () => null,
  decide: decideEngineer,
  evolve: evolveEngineer,
  eventTypes: ENGINEER_EVENT_TYPES,
};
