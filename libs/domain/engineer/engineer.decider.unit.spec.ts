import { FIXED_NOW, spec } from '../shared/given-when-then';
import { IllegalStateError, NotFoundError, ValidationError } from '../shared/domain-errors';
import { ChangeAvailability, ManagerLookup, NameBackupEngineer, RegisterEngineer } from './engineer.commands';
import { engineerDecider } from './engineer.decider';
import { EngineerEvent, EngineerRegistered } from './engineer.events';

const ADMIN = 'admin:root';
const given = (events: EngineerEvent[]) => spec(engineerDecider).given(events);

const register = (managerId?: string, manager?: ManagerLookup | null, engineerId = 'eng-bob'): RegisterEngineer => ({
  type: 'RegisterEngineer',
  data: {
    engineerId,
    name: 'Bob',
    email: 'bob@support.example',
    managerId,
    timeZone: 'Europe/Dublin',
    manager,
    by: ADMIN,
  },
});
const registered = (managerId: string | null = 'mgr-carol', at = FIXED_NOW): EngineerRegistered => ({
  type: 'EngineerRegistered',
  data: {
    engineerId: 'eng-bob',
    name: 'Bob',
    email: 'bob@support.example',
    managerId,
    timeZone: 'Europe/Dublin',
    by: ADMIN,
    at,
  },
});
const changeTo = (status: ChangeAvailability['data']['status']): ChangeAvailability => ({
  type: 'ChangeAvailability',
  data: { status, by: 'support:bob' },
});

describe('RegisterEngineer', () => {
  it('registers an engineer under an existing manager', () => {
    given([])
      .when(register('mgr-carol', { engineerId: 'mgr-carol', managerId: null }))
      .then([registered('mgr-carol')]);
  });

  it('registers a manager (no managerId)', () => {
    given([])
      .when(register())
      .then([registered(null)]);
  });

  it('a new engineer is off shift', () => {
    const state = engineerDecider.evolve(null, registered());
    expect(state).toEqual({
      engineerId: 'eng-bob',
      name: 'Bob',
      email: 'bob@support.example',
      managerId: 'mgr-carol',
      timeZone: 'Europe/Dublin',
      availability: 'off-shift',
      backupEngineerId: null,
      registeredAt: FIXED_NOW,
      updatedAt: FIXED_NOW,
    });
  });

  it('refuses an engineer already registered', () => {
    given([registered()])
      .when(register())
      .thenThrows(IllegalStateError, /already registered/);
  });

  it('refuses a manager that does not exist', () => {
    given([])
      .when(register('mgr-ghost', null))
      .thenThrows(NotFoundError, /manager mgr-ghost not found/);
  });

  it('refuses a manager that is not a manager (it has a manager itself)', () => {
    given([])
      .when(register('eng-dan', { engineerId: 'eng-dan', managerId: 'mgr-carol' }))
      .thenThrows(ValidationError, /eng-dan is not a manager/);
  });

  it('registers with a backup: the registration, then the backup named', () => {
    given([])
      .when({
        ...register(),
        data: { ...register().data, backupEngineerId: 'eng-dan', backup: { engineerId: 'eng-dan' } },
      })
      .then([
        registered(null),
        {
          type: 'BackupEngineerNamed',
          data: {
            engineerId: 'eng-bob',
            backupEngineerId: 'eng-dan',
            previousBackupEngineerId: null,
            by: ADMIN,
            at: FIXED_NOW,
          },
        },
      ]);
  });

  it('refuses a backup that does not exist, or the engineer itself', () => {
    given([])
      .when({ ...register(), data: { ...register().data, backupEngineerId: 'eng-ghost', backup: null } })
      .thenThrows(NotFoundError, /backup engineer eng-ghost not found/);
    given([])
      .when({ ...register(), data: { ...register().data, backupEngineerId: 'eng-bob', backup: null } })
      .thenThrows(ValidationError, /own backup/);
  });

  it("refuses being one's own manager", () => {
    given([])
      .when(register('eng-bob', null))
      .thenThrows(ValidationError, /own manager/);
  });
});

describe('ChangeAvailability', () => {
  it('records the new availability with the previous one', () => {
    given([registered()])
      .when(changeTo('on-shift'))
      .then([
        {
          type: 'EngineerAvailabilityChanged',
          data: {
            engineerId: 'eng-bob',
            status: 'on-shift',
            previousStatus: 'off-shift',
            by: 'support:bob',
            at: FIXED_NOW,
          },
        },
      ]);
  });

  it('the state follows', () => {
    const events: EngineerEvent[] = [
      registered(),
      {
        type: 'EngineerAvailabilityChanged',
        data: { engineerId: 'eng-bob', status: 'away', previousStatus: 'off-shift', by: 'x', at: FIXED_NOW },
      },
    ];
    expect(events.reduce(engineerDecider.evolve, engineerDecider.initialState())).toMatchObject({
      availability: 'away',
    });
  });

  it('the same availability again records nothing', () => {
    given([registered()]).when(changeTo('off-shift')).thenNothing();
  });

  it('an engineer that does not exist: not found', () => {
    given([])
      .when(changeTo('on-shift'))
      .thenThrows(NotFoundError, /engineer not found/);
  });
});

describe('NameBackupEngineer', () => {
  const nameBackup = (backupEngineerId: string | null, found = backupEngineerId !== null): NameBackupEngineer => ({
    type: 'NameBackupEngineer',
    data: { backupEngineerId, backup: found && backupEngineerId ? { engineerId: backupEngineerId } : null, by: ADMIN },
  });
  const named = (backupEngineerId: string | null, previousBackupEngineerId: string | null = null) => ({
    type: 'BackupEngineerNamed' as const,
    data: { engineerId: 'eng-bob', backupEngineerId, previousBackupEngineerId, by: ADMIN, at: FIXED_NOW },
  });

  it('names an existing engineer as the backup', () => {
    given([registered()])
      .when(nameBackup('eng-dan'))
      .then([named('eng-dan')]);
  });

  it('replaces the backup, recording the previous one, and the state follows', () => {
    given([registered(), named('eng-dan')])
      .when(nameBackup('eng-eve'))
      .then([named('eng-eve', 'eng-dan')]);
    const state = [registered(), named('eng-dan')].reduce(engineerDecider.evolve, engineerDecider.initialState());
    expect(state).toMatchObject({ backupEngineerId: 'eng-dan' });
  });

  it('removes the backup with null; the same backup again records nothing', () => {
    given([registered(), named('eng-dan')])
      .when(nameBackup(null))
      .then([named(null, 'eng-dan')]);
    given([registered(), named('eng-dan')])
      .when(nameBackup('eng-dan'))
      .thenNothing();
  });

  it("refuses being one's own backup", () => {
    given([registered()])
      .when(nameBackup('eng-bob'))
      .thenThrows(ValidationError, /own backup/);
  });

  it('refuses a backup that does not exist', () => {
    given([registered()])
      .when(nameBackup('eng-ghost', false))
      .thenThrows(NotFoundError, /backup engineer eng-ghost not found/);
  });

  it('an engineer that does not exist: not found', () => {
    given([])
      .when(nameBackup('eng-dan'))
      .thenThrows(NotFoundError, /engineer not found/);
  });
});
