import { IllegalStateError, NotFoundError } from '../shared/domain-errors';
import { spec } from '../shared/given-when-then';
import { LogUpdate } from './case.commands';
import { caseDecider } from './case.decider';
import { CaseEvent } from './case.events';
import { Case } from './case.state';
import {
  CASE_ID,
  NOW,
  caseResolved,
  caseSubmitted,
  clockStarted,
  context,
  min,
  openCase,
  rejectedCase,
  routedCase,
  severityAssigned,
  slaBreached,
  updateSent,
} from './testing/case.fixtures';

const given = (events: CaseEvent[]) => spec(caseDecider, context).given(events);
const logUpdate: LogUpdate = {
  type: 'LogUpdate',
  data: { channel: 'phone', summary: 'called the partner', by: 'support:bob' },
};
const sent = (meetsClockId: string | null, initialResponse: boolean) => ({
  type: 'UpdateSent' as const,
  data: {
    caseId: CASE_ID,
    channel: 'phone' as const,
    summary: 'called the partner',
    by: 'support:bob',
    initialResponse,
    meetsClockId,
    at: NOW,
  },
});
const stateAfter = (events: CaseEvent[]): Case => events.reduce(caseDecider.evolve, caseDecider.initialState()) as Case;

describe('LogUpdate and the SLA clocks', () => {
  it('the first update is the initial response: it meets the initial-response clock and starts a next-update clock from now', () => {
    given(openCase('B').history)
      .when(logUpdate)
      .then([sent('initialResponse-1', true), clockStarted('nextUpdate', 2, 'B', NOW, { cause: 'update-sent' })]);
  });

  it('records metAt on the met clock and keeps the new clock running', () => {
    const history = openCase('B').history;
    const events = caseDecider.decide(logUpdate, stateAfter(history), context);
    const { sla } = stateAfter([...history, ...events]);
    expect(sla.initialResponse).toMatchObject({ clockId: 'initialResponse-1', state: 'met', metAt: NOW });
    expect(sla.nextUpdate).toMatchObject({ clockId: 'nextUpdate-2', state: 'running', startedAt: NOW });
  });

  it('each later update meets the running next-update clock and starts a new one', () => {
    const history = [
      ...openCase('B').history,
      updateSent('initialResponse-1', { at: min(-20) }),
      clockStarted('nextUpdate', 2, 'B', min(-20), { cause: 'update-sent' }),
    ];
    given(history)
      .when(logUpdate)
      .then([sent('nextUpdate-2', false), clockStarted('nextUpdate', 3, 'B', NOW, { cause: 'update-sent' })]);
  });

  it('an update on a case without severity is its initial response but meets and starts no clock', () => {
    given([caseSubmitted()])
      .when(logUpdate)
      .then([sent(null, true)]);
  });

  it('a late answer to a breached clock is recorded on it (metAt) but the clock stays breached', () => {
    const clock = clockStarted('initialResponse', 1, 'A', min(-90));
    const history = [caseSubmitted({}, min(-90)), severityAssigned('A', { at: min(-90) }), clock, slaBreached(clock)];
    const events = caseDecider.decide(logUpdate, stateAfter(history), context);
    expect(events).toEqual([
      sent('initialResponse-1', true),
      clockStarted('nextUpdate', 2, 'A', NOW, { cause: 'update-sent' }),
    ]);
    expect(stateAfter([...history, ...events]).sla.initialResponse).toMatchObject({
      state: 'breached',
      metAt: NOW,
      breachedAt: clock.data.dueAt,
    });
  });

  it('an update after the due instant whose breach timer has not fired records the breach first (no reminder: the engineer is answering)', () => {
    const clock = clockStarted('initialResponse', 1, 'A', min(-90));
    given([caseSubmitted({}, min(-90)), severityAssigned('A', { at: min(-90) }), clock])
      .when(logUpdate)
      .then([
        slaBreached(clock, { at: NOW, detectedBy: 'catch-up' }),
        sent('initialResponse-1', true),
        clockStarted('nextUpdate', 2, 'A', NOW, { cause: 'update-sent' }),
      ]);
  });
});

describe('LogUpdate refusals', () => {
  it('on a case that does not exist: not found', () => {
    given([]).when(logUpdate).thenThrows(NotFoundError);
  });
  it('on a routed case', () => {
    given(routedCase())
      .when(logUpdate)
      .thenThrows(IllegalStateError, /routed/);
  });
  it('on a rejected case', () => {
    given(rejectedCase())
      .when(logUpdate)
      .thenThrows(IllegalStateError, /rejected/);
  });
  it('on a resolved case', () => {
    given([...openCase('B').history, caseResolved(['initialResponse-1'])])
      .when(logUpdate)
      .thenThrows(IllegalStateError, /cannot log an update: case SR-0001 is resolved/);
  });
});
