import { DEFAULT_SLA_POLICY, SlaPolicy } from '../domain/sla/policy';
import { policyFingerprint } from '../domain/sla/policy-fingerprint';
import { SlaPolicyVersionConflictError } from '../domain/sla/sla-errors';
import { EventStore } from '../event-store/event-store';
import { createEmbeddedEventStore } from '../event-store/sql/create-sql-event-store';
import { createSchemaEventStore } from '../../test/support/test-database';
import { ProblemError } from '../platform/http/problem';
import { SLA_POLICY_RECORDED, SLA_POLICY_STREAM, SlaPolicyRegistry } from './policy-registry';
import { SlaPolicyService } from './sla-policy.service';
import { freshPgliteDir } from '../../test/support/pglite-template';

const NOW = '2026-11-23T10:00:00.000Z';
/** Same version as `base`, other content: B answered in 3 h instead of 2. */
const withB3h = (base: SlaPolicy, version = base.version): SlaPolicy => ({
  ...base,
  version,
  severities: { ...base.severities, B: { ...base.severities.B, initialResponse: 'PT3H' } },
});
const v1: SlaPolicy = { ...DEFAULT_SLA_POLICY, version: 'acme-1' };
const v2: SlaPolicy = withB3h(v1, 'acme-2');

/** Each store of the file's own: a fresh PGlite, and a PostgreSQL schema (real concurrent connections). */
const stores: Array<[string, () => Promise<{ store: EventStore; cleanup: () => Promise<void> }>]> = [
  [
    'embedded (PGlite)',
    async () => {
      const files = await freshPgliteDir(); // a fresh database without an initdb of its own
      const store = await createEmbeddedEventStore(files.dir);
      return { store, cleanup: () => store.close().finally(files.remove) };
    },
  ],
  ['postgres', () => createSchemaEventStore('ct_test_pol', 8)],
];

describe.each(stores)('SLA policies recorded with their content hash (%s)', (_name, open) => {
  let store: EventStore;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ store, cleanup } = await open());
  });
  afterAll(() => cleanup());

  // Each test uses its own versions; the stream is shared, as it is in a real store.
  const recorded = async () =>
    (await store.readStream(SLA_POLICY_STREAM)).filter((e) => e.type === SLA_POLICY_RECORDED);

  it('a start records its policy once: version, hash, the policy itself, source and time', async () => {
    const service = new SlaPolicyService(v1, '/etc/casetrail/sla.json');
    await service.record(store, NOW);
    await new SlaPolicyService(v1, '/etc/casetrail/sla.json').record(store, '2026-11-24T10:00:00.000Z');
    const events = (await recorded()).filter((e) => e.data.version === 'acme-1');
    expect(events).toHaveLength(1);
    expect(events[0].data).toEqual({
      version: 'acme-1',
      hash: policyFingerprint(v1),
      policy: v1,
      source: '/etc/casetrail/sla.json',
      at: NOW,
    });
    expect(events[0].data.hash).toBe(service.hash);
  });

  it('a start with a recorded version and other content is refused, naming both hashes, and records nothing', async () => {
    await new SlaPolicyService(v1).record(store, NOW);
    const before = (await recorded()).length;
    const changed = new SlaPolicyService(withB3h(v1), 'sla-new.json');
    const refusal = changed.record(store, NOW);
    await expect(refusal).rejects.toThrow(SlaPolicyVersionConflictError);
    await expect(changed.record(store, NOW)).rejects.toThrow(
      `SLA policy version acme-1 is already recorded with hash ${policyFingerprint(v1)}; sla-new.json has hash ${policyFingerprint(withB3h(v1))}: give the new policy a new version`,
    );
    expect(await recorded()).toHaveLength(before);
  });

  it('concurrent starts with the same policy record it once', async () => {
    const policy: SlaPolicy = { ...DEFAULT_SLA_POLICY, version: 'race-same' };
    await Promise.all(Array.from({ length: 6 }, () => new SlaPolicyService(policy).record(store, NOW)));
    expect((await recorded()).filter((e) => e.data.version === 'race-same')).toHaveLength(1);
  });

  it('concurrent starts with one version and two contents: exactly one content is recorded, the others are refused', async () => {
    const a: SlaPolicy = { ...DEFAULT_SLA_POLICY, version: 'race-diff' };
    const b = withB3h(a);
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) => new SlaPolicyService(i % 2 ? a : b).record(store, NOW)),
    );
    const stored = (await recorded()).filter((e) => e.data.version === 'race-diff');
    expect(stored).toHaveLength(1);
    const winner = stored[0].data.hash;
    results.forEach((result, i) => {
      const hash = policyFingerprint(i % 2 ? a : b);
      expect(result.status).toBe(hash === winner ? 'fulfilled' : 'rejected');
      if (result.status === 'rejected') expect(result.reason).toBeInstanceOf(SlaPolicyVersionConflictError);
    });
  });

  it('a case keeps its policy: a v1 case is counted under v1 by a process running v2', async () => {
    await new SlaPolicyService(v1).record(store, NOW);
    const running = new SlaPolicyService(v2);
    await running.record(store, NOW);
    const calculator = await running.calculatorFor({ version: 'acme-1', hash: policyFingerprint(v1) });
    expect(calculator.policyVersion).toBe('acme-1');
    const paris = { timeZone: 'Europe/Paris', country: 'FR' };
    // Friday 16:30 Paris, B: v1 answers in 2 business hours (Monday 10:30), v2 in 3 (Monday 11:30).
    expect(calculator.clockFor('initialResponse', 'B', '2026-11-13T15:30:00Z', paris)).toMatchObject({
      policyVersion: 'acme-1',
      policyHash: policyFingerprint(v1),
      dueAt: '2026-11-16T09:30:00.000Z',
    });
    expect(running.calculator.clockFor('initialResponse', 'B', '2026-11-13T15:30:00Z', paris).dueAt).toBe(
      '2026-11-16T10:30:00.000Z',
    );
    // A new case (no policy yet) gets the policy in force.
    expect((await running.calculatorFor(null)).policyHash).toBe(policyFingerprint(v2));
  });

  it('a case from before pinning (version only) gets the recorded policy of that version, else the one in force', async () => {
    await new SlaPolicyService(v1).record(store, NOW);
    const running = new SlaPolicyService(v2);
    await running.record(store, NOW);
    expect((await running.calculatorFor({ version: 'acme-1', hash: null })).policyHash).toBe(policyFingerprint(v1));
    expect((await running.calculatorFor({ version: 'never-recorded', hash: null })).policyHash).toBe(
      policyFingerprint(v2),
    );
  });

  it('a policy recorded by another process after this one started is found by reading the stream again', async () => {
    const running = new SlaPolicyService(v2);
    await running.record(store, NOW);
    const later: SlaPolicy = withB3h({ ...DEFAULT_SLA_POLICY, version: 'acme-later' });
    await new SlaPolicyService(later).record(store, NOW);
    expect((await running.calculatorFor({ version: 'acme-later', hash: policyFingerprint(later) })).policyVersion).toBe(
      'acme-later',
    );
  });

  it('a case pinned to a hash nobody recorded is refused (503), never counted under another policy', async () => {
    const running = new SlaPolicyService(v2);
    await running.record(store, NOW);
    const refusal = running.calculatorFor({ version: 'ghost', hash: 'sha256:0000' });
    await expect(refusal).rejects.toBeInstanceOf(ProblemError);
    await expect(running.calculatorFor({ version: 'ghost', hash: 'sha256:0000' })).rejects.toMatchObject({
      problem: { status: 503 },
    });
  });

  it('the registry reads every recorded policy with its calculator', async () => {
    await new SlaPolicyService(v1).record(store, NOW);
    const registry = new SlaPolicyRegistry(store);
    await registry.refresh();
    expect(registry.withVersion('acme-1')?.hash).toBe(policyFingerprint(v1));
    expect(registry.withHash(policyFingerprint(v1))?.calculator.policyVersion).toBe('acme-1');
    expect(registry.size).toBeGreaterThanOrEqual(1);
  });
});
