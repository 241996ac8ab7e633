import type { CaseView, Clock } from '../../api/types';
import { formatInstant } from '../../ui/format';
import { Countdown, StateBadge } from '../../ui/widgets';

/** The case's latest clock of each kind with its state (as the service evaluated it at the read's instant). */
export function ClocksTable({
  view,
  now,
  live,
  idPrefix,
}: {
  view: CaseView;
  now: number;
  live: boolean;
  idPrefix: string;
}) {
  const clocks = [view.sla?.initialResponse, view.sla?.nextUpdate].filter((c): c is Clock => !!c);
  if (!clocks.length)
    return <p class="muted">No SLA clock{view.status === 'open' ? ' yet' : ' (this case has none)'}.</p>;
  return (
    <table class="clocks">
      <thead>
        <tr>
          <th scope="col">Clock</th>
          <th scope="col">State</th>
          <th scope="col">Started</th>
          <th scope="col">At risk from</th>
          <th scope="col">Due</th>
          <th scope="col">{live ? 'Time left' : 'Outcome'}</th>
        </tr>
      </thead>
      <tbody>
        {clocks.map((clock) => (
          <tr
            key={clock.clockId}
            id={`${idPrefix}-clock-${clock.clock}`}
            data-clock={clock.clock}
            data-state={clock.state}
          >
            <th scope="row">
              {clock.clock === 'initialResponse' ? 'Initial response' : 'Next update'}
              <div class="muted small">
                {clock.clockId}, severity {clock.severity}, {clock.calendar}
              </div>
            </th>
            <td>
              <StateBadge state={clock.state} />
            </td>
            <td>{formatInstant(clock.startedAt)}</td>
            <td>{formatInstant(clock.warnAt)}</td>
            <td>{formatInstant(clock.dueAt)}</td>
            <td>
              {clock.metAt ? (
                `met ${formatInstant(clock.metAt)}`
              ) : clock.state === 'paused' ? (
                `paused since ${formatInstant(clock.pausedAt)}`
              ) : clock.state === 'stopped' ? (
                'stopped'
              ) : (
                <Countdown dueAt={clock.dueAt} now={now} />
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
