import { randomUUID } from 'node:crypto';
import { DecidedEvent, randomCaseHistory, seededRandom } from '../../libs/domain/case/testing/random-history';
import { DEFAULT_SLA_POLICY } from '../../libs/domain/sla/policy';
import type { EventStore, RecordedEvent } from '../../libs/event-store/event-store';
import { storedData } from '../../libs/events/event-parser';
import { SlaPolicyService } from '../../libs/sla/sla-policy.service';

/** Stores a decided case history (randomCaseHistory) as the case's new stream, as staff's commands would have. */
export async function appendCaseHistory(
  store: Pick<EventStore, 'append'>,
  caseId: string,
  history: readonly DecidedEvent[],
): Promise<void> {
  await store.append(
    `case-${caseId}`,
    history.map(({ event, now }) => ({
      id: randomUUID(),
      type: event.type,
      data: storedData(event),
      metadata: { actor: 'support:alice', occurredAt: now, correlationId: randomUUID(), causationId: null },
    })),
    'no_stream',
  );
}

/**
 * `cases` random case histories under the default policy (recorded first), submitted over the
 * 100 days from `startMs`, by four partners and three engineers, stored one stream each; returns
 * every stored event in store order. Seeded: the same seed gives the same histories.
 */
export async function storeRandomCases(
  store: EventStore,
  { cases, seed, startMs, endMs }: { cases: number; seed: number; startMs: number; endMs: number },
): Promise<RecordedEvent[]> {
  const policy = new SlaPolicyService(DEFAULT_SLA_POLICY);
  await policy.record(store, new Date(startMs - 24 * 3600_000).toISOString());
  const random = seededRandom(seed);
  const engineers = [1, 2, 3].map((i) => ({ engineerId: `e-${i}`, managerId: 'm-1' }));
  for (let i = 0; i < cases; i++) {
    const caseId = randomUUID();
    const history = randomCaseHistory({
      caseId,
      partnerId: `p-${i % 4}`,
      engineers,
      startMs: startMs + Math.floor(random() * 100 * 24 * 60) * 60_000,
      endMs,
      commands: 6 + Math.floor(random() * 20),
      random,
      clocks: policy.calculator,
    });
    await appendCaseHistory(store, caseId, history);
  }
  // Everything up to the store's head: a read may not see the newest events yet while another
  // test's transaction (another schema, the same database) holds PostgreSQL's horizon back.
  const head = store.headCheckpoint ? await store.headCheckpoint() : undefined;
  const deadline = Date.now() + 60_000;
  for (;;) {
    const page = await store.readAll({ after: null, maxCount: 100_000 });
    if (head === undefined || page.checkpoint === head || Date.now() > deadline) return page.events;
    await new Promise((r) => setTimeout(r, 20));
  }
}
