import { caseBody } from './case-fixtures';
import { TestService } from './test-service';

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

/** Registers a manager and an engineer reporting to it, on shift; returns their ids. */
export async function engineerWithManager(
  service: TestService,
  suffix: string,
): Promise<{ engineerId: string; managerId: string }> {
  const managerId = `m-${suffix}`;
  const engineerId = `e-${suffix}`;
  for (const body of [
    { engineerId: managerId, name: 'Manager', email: `${managerId}@example.com`, timeZone: 'Europe/Paris' },
    { engineerId, name: 'Engineer', email: `${engineerId}@example.com`, managerId, timeZone: 'Europe/Paris' },
  ]) {
    const response = await service.request('POST', '/v1/engineers', { key: 'admin', body });
    if (response.status !== 201) throw new Error(`engineer registration failed: ${JSON.stringify(response.body)}`);
  }
  // On shift: a severity-A case is only assigned to an engineer on shift (unless forced).
  const onShift = await service.request('POST', `/v1/engineers/${engineerId}/availability`, {
    key: 'support',
    body: { status: 'on-shift' },
  });
  if (onShift.status !== 200) throw new Error(`availability failed: ${JSON.stringify(onShift.body)}`);
  return { engineerId, managerId };
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
