import { randomUUID } from 'node:crypto';
import type { EventStore } from '../../libs/event-store/event-store';
import { EVENT_STORE } from '../../libs/platform/tokens';
import { TestKey, TestResponse, TestService } from './test-service';

/** A short unique suffix, so tests sharing one service never touch each other's ids. */
export const unique = (): string => randomUUID().replace(/-/g, '').slice(0, 10);

/**
 * A valid repair submission that opens a case: Office 365, the partner's own tenant, submitted by
 * its administrator, partner available 24x7, no proposed severity (override any field).
 */
export function caseBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    partnerId: 'p-contoso',
    product: 'office365',
    requestType: 'repair',
    submitterRole: 'admin',
    topic: 'Exchange Online',
    feature: 'Mail flow',
    symptom: 'Mail cannot be sent or received',
    summary: 'Widespread mail send/receive failures',
    details: 'Since 09:00 nobody in the tenant can send or receive mail.',
    serviceUnavailable: true,
    usersAffected: 250,
    contact: {
      name: 'Jo Contoso',
      email: 'jo@contoso.example',
      phone: '+33 1 23 45 67 89',
      timeZone: 'Europe/Paris',
      country: 'FR',
    },
    partnerAvailable24x7: true,
    attachments: [{ name: 'trace.log', contentType: 'text/plain', sizeBytes: 1024 }],
    ...overrides,
  };
}

export interface HistoryEntry {
  revision: number;
  position: string;
  type: string;
  data: Record<string, any>;
  metadata: {
    actor: string;
    occurredAt: string;
    correlationId: string;
    causationId: string | null;
    [k: string]: unknown;
  };
}

/** POST /v1/cases; fails the test unless it is a 201. */
export async function submitCase(
  service: TestService,
  overrides: Record<string, unknown> = {},
  key: TestKey = 'support',
): Promise<{ caseId: string; body: any; response: TestResponse }> {
  const response = await service.request('POST', '/v1/cases', { key, body: caseBody(overrides) });
  if (response.status !== 201)
    throw new Error(`submission failed: ${response.status} ${JSON.stringify(response.body)}`);
  return { caseId: response.body.caseId, body: response.body, response };
}

/** GET /v1/cases/{id}/history (as the auditor by default); fails the test unless it is a 200. */
export async function history(service: TestService, caseId: string, key: TestKey = 'auditor'): Promise<HistoryEntry[]> {
  const response = await service.request('GET', `/v1/cases/${caseId}/history`, { key });
  if (response.status !== 200) throw new Error(`history failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

/** GET /v1/cases/{id}; fails the test unless it is a 200. */
export async function getCase(service: TestService, caseId: string, key: TestKey = 'support'): Promise<any> {
  const response = await service.request('GET', `/v1/cases/${caseId}`, { key });
  if (response.status !== 200) throw new Error(`get case failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

/** Runs a case command and fails the test unless it answers `status`. */
export async function command(
  service: TestService,
  caseId: string,
  route: string,
  body: unknown,
  options: { key?: TestKey; status?: number; headers?: Record<string, string> } = {},
): Promise<TestResponse> {
  const response = await service.request('POST', `/v1/cases/${caseId}/${route}`, {
    key: options.key ?? 'support',
    body,
    headers: options.headers,
  });
  const expected = options.status ?? (['updates', 'escalations', 'severity-a-calls'].includes(route) ? 201 : 200);
  if (response.status !== expected) {
    throw new Error(
      `POST ${route} answered ${response.status}, expected ${expected}: ${JSON.stringify(response.body)}`,
    );
  }
  return response;
}

/** The last revision and length of a history, to check later that nothing was written. */
export async function snapshot(
  service: TestService,
  caseId: string,
): Promise<{ length: number; lastRevision: number; lastPosition: string }> {
  const entries = await history(service, caseId);
  const last = entries[entries.length - 1];
  return { length: entries.length, lastRevision: last.revision, lastPosition: last.position };
}

export async function expectHistoryUnchanged(
  service: TestService,
  caseId: string,
  before: { length: number; lastRevision: number; lastPosition: string },
): Promise<void> {
  expect(await snapshot(service, caseId)).toEqual(before);
}

/** How many events the whole store holds (white-box: for refusals that have no case to look at). */
export async function totalEvents(service: TestService): Promise<number> {
  const store = service.service.app.get<symbol, EventStore>(EVENT_STORE, { strict: false });
  let count = 0;
  let after: string | null = null;
  for (;;) {
    const page = await store.readAll({ after, maxCount: 1000 });
    count += page.events.length;
    if (page.events.length < 1000) return count;
    after = page.checkpoint;
  }
}

/** A problem+json answer with this status (and, if given, exactly these fields in `errors`). */
export function expectProblem(response: TestResponse, status: number, fields?: string[]): void {
  expect({ status: response.status, body: response.body }).toEqual(expect.objectContaining({ status }));
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(response.body).toEqual(
    expect.objectContaining({
      status,
      type: expect.any(String),
      title: expect.any(String),
      detail: expect.any(String),
    }),
  );
  if (fields) {
    const named = [...new Set((response.body.errors ?? []).map((e: { field: string }) => e.field))].sort();
    expect(named).toEqual([...fields].sort());
    for (const e of response.body.errors) expect(e.message).toEqual(expect.any(String));
  }
}

/** Registers an engineer (admin key); a manager when `managerId` is absent. */
export async function registerEngineer(
  service: TestService,
  engineerId: string,
  managerId?: string,
): Promise<TestResponse> {
  const response = await service.request('POST', '/v1/engineers', {
    key: 'admin',
    body: {
      engineerId,
      name: `Engineer ${engineerId}`,
      email: `${engineerId}@example.com`,
      timeZone: 'Europe/Paris',
      ...(managerId ? { managerId } : {}),
    },
  });
  if (response.status !== 201)
    throw new Error(`engineer registration failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response;
}

export async function setAvailability(
  service: TestService,
  engineerId: string,
  status: 'on-shift' | 'off-shift' | 'away',
): Promise<TestResponse> {
  const response = await service.request('POST', `/v1/engineers/${engineerId}/availability`, {
    key: 'support',
    body: { status },
  });
  if (response.status !== 200)
    throw new Error(`availability failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response;
}

/** GET /v1/engineers read after `position` (the projection has caught up with it). */
export async function engineersAt(service: TestService, position: string): Promise<any[]> {
  const response = await service.request('GET', `/v1/engineers?consistentWith=${position}`, { key: 'support' });
  if (response.status !== 200) throw new Error(`engineers failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body.items;
}

/** A manager and an engineer reporting to it (on shift), with unique ids. */
export async function engineerWithManager(
  service: TestService,
  tag: string,
): Promise<{ engineerId: string; managerId: string }> {
  const suffix = `${tag}-${unique()}`;
  const managerId = `m-${suffix}`;
  const engineerId = `e-${suffix}`;
  await registerEngineer(service, managerId);
  await registerEngineer(service, engineerId, managerId);
  // On shift: a severity-A case is only assigned to an engineer on shift (unless forced).
  await setAvailability(service, engineerId, 'on-shift');
  return { engineerId, managerId };
}

/** Every command route of a case, with a valid body for each. */
export const CASE_COMMANDS: ReadonlyArray<{ route: string; body: Record<string, unknown> }> = [
  { route: 'severity', body: { severity: 'B', reason: 'one user affected' } },
  { route: 'partner-availability', body: { available24x7: false } },
  { route: 'assignment', body: { engineerId: 'e-nobody' } },
  { route: 'updates', body: { channel: 'email', summary: 'looking into it' } },
  { route: 'escalations', body: { reason: 'no answer from the engineer' } },
  { route: 'severity-a-calls', body: { caller: '+33 1 23 45 67 89' } },
  { route: 'resolution', body: { summary: 'fixed' } },
  { route: 'closure', body: {} },
  { route: 'reopening', body: { reason: 'it broke again' } },
];

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A command's answer agrees with the history: `revision` and `position` (a string) are those of
 * the last event, and the ETag is `"<revision>"`. Returns the history.
 */
export async function expectAnswerMatchesHistory(
  service: TestService,
  response: TestResponse,
  caseId: string,
): Promise<HistoryEntry[]> {
  const entries = await history(service, caseId);
  const last = entries[entries.length - 1];
  expect(typeof response.body.position).toBe('string');
  expect({
    revision: response.body.revision,
    position: response.body.position,
    etag: response.headers.get('etag'),
  }).toEqual({
    revision: last.revision,
    position: last.position,
    etag: `"${last.revision}"`,
  });
  return entries;
}

export const types = (entries: HistoryEntry[]): string[] => entries.map((e) => e.type);

/** Takes every on-shift engineer off shift (severity-A transfers pick from all engineers). */
export async function everyoneOffShift(service: TestService, position: string, except: string[] = []): Promise<string> {
  let last = position;
  for (const engineer of await engineersAt(service, position)) {
    if (engineer.availability === 'on-shift' && !except.includes(engineer.engineerId)) {
      last = (await setAvailability(service, engineer.engineerId, 'off-shift')).body.position;
    }
  }
  return last;
}
