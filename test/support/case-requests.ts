import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { caseBody } from './case-fixtures';

/** A severity-A repair submission by a delegated admin for its customer (override any field). */
export function submission(overrides: Record<string, unknown> = {}) {
  return caseBody({ customerId: 'c-fabrikam', submitterRole: 'delegated-admin', proposedSeverity: 'A', ...overrides });
}

/** A policy whose clocks run in seconds, for timer tests. */
export function secondsPolicy(version = 'test-seconds') {
  const severity = { calendar: '24x7', initialResponse: 'PT4S', update: 'PT4S' };
  return {
    version,
    warnAt: 0.5,
    escalateAfterOverdue: 'PT2S',
    businessCalendar: { week: { mon: ['09:00-17:00'] }, publicHolidays: false, closedDates: [] },
    severities: { A: severity, B: severity, C: severity },
  };
}

/** secondsPolicy() written to a file of its own, for SLA_POLICY_FILE; returns its path. */
export function secondsPolicyFile(version?: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'casetrail-policy-')), 'policy.json');
  writeFileSync(file, JSON.stringify(secondsPolicy(version)));
  return file;
}

export async function waitUntil<T>(
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out; last value: ${JSON.stringify(value).slice(0, 2000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
