import { FIXED_NOW, spec } from '../shared/given-when-then';
import { NotFoundError, ValidationError } from '../shared/domain-errors';
import { SetDutyManager } from './duty-manager.commands';
import { dutyManagerDecider } from './duty-manager.decider';
import { DutyManagerSet } from './duty-manager.events';

const ADMIN = 'admin:root';
const given = (events: DutyManagerSet[]) => spec(dutyManagerDecider).given(events);
/** managerOf: the found engineer's own manager; found false: no such engineer. */
const setTo = (managerId: string | null, managerOf: string | null = null, found = true): SetDutyManager => ({
  type: 'SetDutyManager',
  data: {
    managerId,
    manager: managerId === null || !found ? null : { engineerId: managerId, managerId: managerOf },
    by: ADMIN,
  },
});
const set = (managerId: string | null, previousManagerId: string | null = null): DutyManagerSet => ({
  type: 'DutyManagerSet',
  data: { managerId, previousManagerId, by: ADMIN, at: FIXED_NOW },
});

describe('SetDutyManager', () => {
  it('puts a manager on duty', () => {
    given([])
      .when(setTo('mgr-carol'))
      .then([set('mgr-carol')]);
  });

  it('hands over duty, recording who had it; the state follows', () => {
    given([set('mgr-carol')])
      .when(setTo('mgr-dave'))
      .then([set('mgr-dave', 'mgr-carol')]);
    expect([set('mgr-carol')].reduce(dutyManagerDecider.evolve, dutyManagerDecider.initialState())).toEqual({
      managerId: 'mgr-carol',
      since: FIXED_NOW,
      by: ADMIN,
    });
  });

  it('nobody on duty (null); the same manager again records nothing', () => {
    given([set('mgr-carol')])
      .when(setTo(null))
      .then([set(null, 'mgr-carol')]);
    given([set('mgr-carol')])
      .when(setTo('mgr-carol'))
      .thenNothing();
    given([]).when(setTo(null)).thenNothing();
  });

  it('refuses an engineer that does not exist', () => {
    given([])
      .when(setTo('mgr-ghost', null, false))
      .thenThrows(NotFoundError, /manager mgr-ghost not found/);
  });

  it('refuses an engineer that is not a manager', () => {
    given([])
      .when(setTo('eng-bob', 'mgr-carol'))
      .thenThrows(ValidationError, /eng-bob is not a manager/);
  });
});
