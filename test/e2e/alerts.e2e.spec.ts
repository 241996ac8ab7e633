import { createHmac } from 'node:crypto';
import { createServer, IncomingMessage, Server } from 'node:http';
import { startTestService, TestService, TEST_KEYS } from '../support/test-service';
import { engineerWithManager } from '../support/case-fixtures';
import { secondsPolicyFile, submission, waitUntil } from '../support/case-requests';
import { SseEvent, takeSseEvents } from '../support/sse';

const SECRET = 'webhook-secret-for-tests';

/** A real HTTP receiver that fails the first two deliveries of each alert, then accepts. */
function startReceiver(): Promise<{
  server: Server;
  url: string;
  received: Array<{ body: string; headers: IncomingMessage['headers'] }>;
  attempts: Map<string, number>;
}> {
  const received: Array<{ body: string; headers: IncomingMessage['headers'] }> = [];
  const attempts = new Map<string, number>();
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      const id = String(request.headers['x-casetrail-alert-id']);
      const n = (attempts.get(id) ?? 0) + 1;
      attempts.set(id, n);
      if (n <= 2) {
        response.writeHead(503).end();
        return;
      }
      received.push({ body, headers: request.headers });
      response.writeHead(204).end();
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({ server, url: `http://127.0.0.1:${port}/hook`, received, attempts });
    }),
  );
}

/** Reads server-sent events from the stream until `count` arrived. */
async function readSse(url: string, count: number, headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const response = await fetch(url, {
    headers: { authorization: `Bearer ${TEST_KEYS.ops}`, ...headers },
    signal: controller.signal,
  });
  expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const events: SseEvent[] = [];
  const deadline = Date.now() + 20_000;
  while (events.length < count && Date.now() < deadline) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    const taken = takeSseEvents(buffer);
    events.push(...taken.events);
    buffer = taken.rest;
  }
  controller.abort();
  return events;
}

describe('ops alerts: feed, SSE stream, signed webhooks, metrics', () => {
  let service: TestService;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => {
    receiver = await startReceiver();
    const policyFile = secondsPolicyFile('alerts');
    service = await startTestService({
      env: { SLA_POLICY_FILE: policyFile, ALERT_WEBHOOKS: receiver.url, ALERT_WEBHOOK_SECRET: SECRET },
    });
  });
  afterAll(async () => {
    await service.close();
    receiver.server.close();
  });

  it('a breach raised by a timer reaches an SSE client and a webhook receiver that failed twice, signed', async () => {
    const sse = readSse(`${service.url}/v1/alerts/stream`, 3);
    await new Promise((r) => setTimeout(r, 300)); // the stream starts "now": connect before the alerts
    const { engineerId } = await engineerWithManager(service, 'alerts');
    const caseId = (await service.request('POST', '/v1/cases', { body: submission() })).body.caseId;
    await service.request('POST', `/v1/cases/${caseId}/assignment`, { body: { engineerId } });

    const streamed = await sse;
    expect(streamed.map((e) => e.event)).toEqual(['warning', 'breach', 'escalation']);
    expect(streamed[1].data).toMatchObject({ kind: 'breach', caseId, severity: 'A', engineerId });
    expect(Number(streamed[1].id)).toBeGreaterThan(Number(streamed[0].id));

    // Resuming with Last-Event-ID replays what came after it.
    const resumed = await readSse(`${service.url}/v1/alerts/stream`, 2, { 'last-event-id': streamed[0].id });
    expect(resumed.map((e) => e.data.alertId)).toEqual([streamed[1].data.alertId, streamed[2].data.alertId]);

    const breachId = streamed[1].data.alertId;
    const delivery = await waitUntil(
      async () => receiver.received.find((r) => r.headers['x-casetrail-alert-id'] === breachId),
      (found) => found !== undefined,
      20_000,
    );
    expect(receiver.attempts.get(breachId)).toBe(3);
    const expected = `sha256=${createHmac('sha256', SECRET).update(delivery!.body).digest('hex')}`;
    expect(delivery!.headers['x-casetrail-signature']).toBe(expected);
    expect(JSON.parse(delivery!.body)).toMatchObject({ alertId: breachId, kind: 'breach', caseId });

    const feed = await service.request('GET', '/v1/alerts?kind=breach', { key: 'ops' });
    expect(feed.status).toBe(200);
    expect(feed.body.items[0]).toMatchObject({ alertId: breachId, kind: 'breach' });
    const all = await service.request('GET', `/v1/alerts?since=${encodeURIComponent(streamed[0].data.occurredAt)}`, {
      key: 'ops',
    });
    expect(all.body.items.map((a: { kind: string }) => a.kind)).toEqual(['escalation', 'breach', 'warning']);
    expect((await service.request('GET', '/v1/alerts', { key: 'partner' })).status).toBe(403);
  }, 40_000);

  it('GET /metrics exposes breaches by severity, cases, projection lag, queue depths and command latency', async () => {
    const response = await fetch(`${service.url}/metrics`, { headers: { authorization: `Bearer ${TEST_KEYS.ops}` } });
    expect(response.status).toBe(200);
    const text = await response.text();
    // A counter since issue 15 (it only grows): the alerts this process projected.
    expect(text).toMatch(/casetrail_sla_alerts_total\{kind="breach",severity="A"\} [1-9]/);
    expect(text).toMatch(/casetrail_cases\{severity="A",status="open"\} [1-9]/);
    expect(text).toMatch(/casetrail_projection_lag_events\{projection="cases"\} \d+/);
    expect(text).toMatch(/casetrail_projection_lag_seconds\{projection="alerts"\} [\d.]+/);
    expect(text).toMatch(/casetrail_queue_jobs\{queue="sla-timers",state="completed"\} [1-9]/);
    expect(text).toMatch(/casetrail_command_duration_seconds_count\{command="SubmitCase",outcome="ok"\} [1-9]/);
    // The webhook receiver above failed twice, then took the alert; one SSE client connected.
    expect(text).toMatch(/casetrail_webhook_deliveries_total\{outcome="failed"\} [2-9]/);
    expect(text).toMatch(/casetrail_webhook_deliveries_total\{outcome="delivered"\} [1-9]/);
    expect(text).toMatch(/casetrail_sse_connections_total\{outcome="opened"\} [1-9]/);
    expect(text).toMatch(/casetrail_sla_timer_actions_total\{action="breach",outcome="recorded"\} [1-9]/);
  });
});
