import { useEffect, useRef, useState } from 'preact/hooks';
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Title,
  Tooltip,
} from 'chart.js';
import type { Session } from '../../api/session';
import { ErrorNote, Section } from '../../ui/widgets';
import { Compliance as Data, loadCompliance, onTimePercent, SEVERITIES } from './compliance-data';

Chart.register(
  BarController,
  BarElement,
  CategoryScale,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Legend,
  Title,
  Tooltip,
);

/** Colours with at least 3:1 contrast on white, told apart by the legend's text too. */
const COLOURS = { A: '#b3261e', B: '#9a5b00', C: '#1f5fa8' };

/** On-time % and breaches per week by severity, each chart with its table (what a screen reader reads). */
export function Compliance({ session }: { session: Session }) {
  const [data, setData] = useState<Data | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    loadCompliance(session.client).then(setData, (e: Error) => setError(e.message));
  }, [session]);
  if (error) return <ErrorNote error={`Could not read the compliance figures: ${error}`} />;
  if (!data) return <p class="loading">Counting…</p>;
  const labels = data.weeks.map((w) => w.week);
  return (
    <>
      <div class="view-head">
        <h1>Compliance</h1>
      </div>
      <p class="muted" id="compliance-source" data-source={data.source}>
        {data.note}
      </p>
      <div class="two-columns">
        <Section title="On time, % per week" id="on-time">
          <ChartCanvas
            label="On-time percentage per week by severity"
            config={{
              type: 'line',
              data: {
                labels,
                datasets: SEVERITIES.map((s) => ({
                  label: `Severity ${s}`,
                  data: data.weeks.map((w) => onTimePercent(w.bySeverity[s])),
                  borderColor: COLOURS[s],
                  backgroundColor: COLOURS[s],
                  spanGaps: true,
                })),
              },
              options: {
                animation: false,
                responsive: true,
                scales: { y: { min: 0, max: 100, title: { display: true, text: '% on time' } } },
              },
            }}
          />
        </Section>
        <Section title="Breaches per week" id="breaches">
          <ChartCanvas
            label="Breaches per week by severity"
            config={{
              type: 'bar',
              data: {
                labels,
                datasets: SEVERITIES.map((s) => ({
                  label: `Severity ${s}`,
                  data: data.weeks.map((w) => w.bySeverity[s].breached),
                  backgroundColor: COLOURS[s],
                })),
              },
              options: {
                animation: false,
                responsive: true,
                scales: {
                  y: { beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: 'breaches' } },
                },
              },
            }}
          />
        </Section>
      </div>
      <Section title="Figures" id="figures">
        <table class="figures">
          <caption class="visually-hidden">On time and breached per week and severity</caption>
          <thead>
            <tr>
              <th scope="col">Week of</th>
              {SEVERITIES.map((s) => (
                <th scope="col" key={s}>
                  Severity {s}: on time / breached (%)
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {data.weeks.map((w) => (
              <tr key={w.week}>
                <th scope="row">{w.week}</th>
                {SEVERITIES.map((s) => {
                  const cell = w.bySeverity[s];
                  const percent = onTimePercent(cell);
                  return (
                    <td key={s}>
                      {cell.onTime} / {cell.breached} {percent === null ? '' : `(${percent}%)`}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </Section>
    </>
  );
}

function ChartCanvas({ label, config }: { label: string; config: ConstructorParameters<typeof Chart>[1] }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const chart = new Chart(canvas.current!, config);
    return () => chart.destroy();
  }, [config]);
  return (
    <div class="chart">
      <canvas ref={canvas} role="img" aria-label={`${label} (figures in the table below)`} />
    </div>
  );
}
