import { Histogram, Registry } from 'prom-client';

/** The process-wide registry: per-process measurements (command latency) live here. */
export const metricsRegistry = new Registry();

export const commandDuration = new Histogram({
  name: 'casetrail_command_duration_seconds',
  help: 'Time to decide and append one command, by command type and outcome',
  labelNames: ['command', 'outcome'] as const,
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  registers: [metricsRegistry],
});
