import { Counter } from 'prom-client';
import { metricsRegistry } from '../platform/metrics/command-metrics';

export const notificationsTotal = new Counter({
  name: 'casetrail_notifications_total',
  help: 'Partner e-mails, by kind and outcome (sent: accepted by the SMTP server; failed: retried later; rejected: refused for good by the server, not retried)',
  labelNames: ['kind', 'outcome'] as const,
  registers: [metricsRegistry],
});
