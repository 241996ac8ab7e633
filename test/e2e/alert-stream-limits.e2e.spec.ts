import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AlertFeedService } from '../../libs/alerts/alert-feed.service';
import { AlertsQueryService } from '../../libs/alerts/alerts.query';
import { engineerWithManager } from '../support/case-fixtures';
import { secondsPolicy, submission, waitUntil } from '../support/case-requests';
import { startTestService, TestService, TEST_KEYS, TestKey } from '../support/test-service';
import { SseEvent, takeSseEvents } from '../support/sse';

/** An open SSE connection whose events are collected in the background. */
async function openStream(service: TestService, key: TestKey, query = '', headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const response = await fetch(`${service.url}/v1/alerts/stream${query}`, {
    headers: { authorization: `Bearer ${TEST_KEYS[key]}`, ...headers },
    signal: controller.signal,
  });
  const events: SseEvent[] = [];
  if (response.ok) {
    void (async () => {
      const reader = response.body!.getReader();
      const decoder = new TextDecoder();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        const taken = takeSseEvents(buffer);
        events.push(...taken.events);
        buffer = taken.rest;
      }
    })().catch(() => undefined); // aborted
  }
  return { response, events, close: () => controller.abort() };
}

describe('alert streams: a cap per key, one shared poll per process', () => {
  let service: TestService;
  let dir: string;
  let feed: AlertFeedService;
  let reads: { count: number };
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'casetrail-policy-'));
    const policyFile = join(dir, 'policy.json');
    writeFileSync(policyFile, JSON.stringify(secondsPolicy('stream-limits')));
    service = await startTestService({ env: { SLA_POLICY_FILE: policyFile, SSE_MAX_PER_KEY: '5' } });
    feed = service.service.app.get(AlertFeedService, { strict: false });
    // Counts every read of the alerts read model (the real queries still run).
    const query = service.service.app.get(AlertsQueryService, { strict: false });
    reads = { count: 0 };
    for (const method of ['after', 'lastSeq'] as const) {
      const real = query[method].bind(query) as (...args: unknown[]) => Promise<unknown>;
      (query as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
        reads.count++;
        return real(...args);
      };
    }
  }, 90_000);
  afterAll(async () => {
    await service?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses the 6th stream of a key (429), polls once per interval for all streams, and fans alerts out by kind', async () => {
    const all = await Promise.all([openStream(service, 'ops'), openStream(service, 'ops'), openStream(service, 'ops')]);
    const breaches = await Promise.all([
      openStream(service, 'ops', '?kind=breach'),
      openStream(service, 'ops', '?kind=breach'),
    ]);
    for (const stream of [...all, ...breaches]) expect(stream.response.status).toBe(200);

    const sixth = await openStream(service, 'ops');
    expect(sixth.response.status).toBe(429);
    expect(sixth.response.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(Number(sixth.response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await sixth.response.json()).toMatchObject({
      status: 429,
      detail: expect.stringMatching(/already has 5 open alert streams/),
    });
    // The cap is per key: another key still gets its stream.
    const other = await openStream(service, 'support');
    expect(other.response.status).toBe(200);
    await waitUntil(
      async () => feed.openStreams,
      (n) => n === 6,
    );

    // Six streams, one query loop: every read of the read model in this window is the shared poll's.
    const [reads0, polls0, t0] = [reads.count, feed.pollQueries, performance.now()];
    await new Promise((resolve) => setTimeout(resolve, 2_000)); // a measuring window, not a wait for a state
    const [reads1, polls1, t1] = [reads.count, feed.pollQueries, performance.now()];
    expect(polls1 - polls0).toBeGreaterThanOrEqual(1);
    expect(reads1 - reads0).toBe(polls1 - polls0);
    expect(reads1 - reads0).toBeLessThanOrEqual(Math.floor((t1 - t0) / 200) + 1);

    // A breach: every unfiltered stream gets the three alerts, the breach streams only the breach.
    const { engineerId } = await engineerWithManager(service, 'streams');
    const caseId = (await service.request('POST', '/v1/cases', { body: submission() })).body.caseId;
    expect((await service.request('POST', `/v1/cases/${caseId}/assignment`, { body: { engineerId } })).status).toBe(
      200,
    );
    await waitUntil(
      async () => [...all, other].map((s) => s.events.length),
      (lengths) => lengths.every((n) => n >= 3),
      30_000,
    );
    await waitUntil(
      async () => breaches.map((s) => s.events.length),
      (lengths) => lengths.every((n) => n >= 1),
      10_000,
    );
    for (const stream of [...all, other])
      expect(stream.events.map((e) => [e.event, e.data.caseId])).toEqual([
        ['warning', caseId],
        ['breach', caseId],
        ['escalation', caseId],
      ]);
    for (const stream of breaches) expect(stream.events.map((e) => e.id)).toEqual([all[0].events[1].id]);
    const warningId = all[0].events[0].id;

    // Closed streams free their slots, and with nobody listening the poll stops.
    for (const stream of [...all, ...breaches, other]) stream.close();
    await waitUntil(
      async () => feed.openStreams,
      (n) => n === 0,
    );
    await new Promise((resolve) => setTimeout(resolve, 600)); // let a poll already under way finish
    const idle = reads.count;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(reads.count).toBe(idle);

    // Resuming reads the backlog once, then joins the shared feed.
    const backlog0 = feed.backlogQueries;
    const resumed = await openStream(service, 'ops', '', { 'last-event-id': warningId });
    expect(resumed.response.status).toBe(200);
    const got = await waitUntil(
      async () => resumed.events.map((e) => e.event),
      (events) => events.length >= 2,
      15_000,
    );
    expect(got).toEqual(['breach', 'escalation']);
    expect(feed.backlogQueries - backlog0).toBe(1);
    resumed.close();
  }, 120_000);
});
