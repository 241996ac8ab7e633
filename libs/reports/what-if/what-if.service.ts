import { createClockCalculator } from '../../domain/sla/clock-calculator';
import { parseSlaPolicy } from '../../domain/sla/policy';
import { policyFingerprint } from '../../domain/sla/policy-fingerprint';
import type { ClockCalculator } from '../../domain/sla/sla-clock';
import type { CaseEvent } from '../../domain/case/case.events';
import type { CasePolicy } from '../../domain/case/case.state';
import { WhatIfFilter, WhatIfResult, WhatIfRun } from '../../domain/sla/replay/what-if';
import { compareCheckpoints } from '../../event-store/checkpoint';
import { EventStore } from '../../event-store/event-store';
import { SlaPolicyRegistry } from '../../sla/policy-registry';
import { memoizedCalculator } from './memoized-calculator';

export interface WhatIfRequest extends WhatIfFilter {
  /** The proposed policy document, as in a policy file (validated like SLA_POLICY_FILE at start). */
  readonly policy: unknown;
  /** Where it came from, named in validation problems ("request body", a file path). */
  readonly source: string;
  /** The instant the replay ends at: clocks still running then are judged as they stand. */
  readonly asOf: string;
  readonly changesLimit?: number;
}

export interface WhatIfProgress {
  readonly events: number;
  readonly cases: number;
}

/** Streams are `case-<id>`; only those hold case events. */
const isCaseStream = (streamId: string) => streamId.startsWith('case-');
const PAGE = 2000;

/**
 * Runs a what-if over the store: validates the proposed policy (every problem at once, the same
 * SlaPolicyError as at start), reads the recorded policies, then streams every event once in
 * store order through a WhatIfRun. Writes nothing. `policyInForce` answers cases pinned to no
 * recorded policy (those submitted before policies were pinned, with an unrecorded version).
 */
export async function runWhatIf(
  store: EventStore,
  request: WhatIfRequest,
  policyInForce: ClockCalculator,
  onProgress?: (progress: WhatIfProgress) => void,
): Promise<WhatIfResult> {
  const proposedPolicy = parseSlaPolicy(request.policy, request.source);
  const proposed = memoizedCalculator(createClockCalculator(proposedPolicy, policyFingerprint(proposedPolicy)));
  const registry = new SlaPolicyRegistry(store);
  await registry.refresh();
  const memo = new Map<string, ClockCalculator | null>();
  const currentFor = (pin: CasePolicy): ClockCalculator | null => {
    const key = `${pin.version}|${pin.hash ?? ''}`;
    if (!memo.has(key)) memo.set(key, resolve(pin));
    return memo.get(key) ?? null;
  };
  const resolve = (pin: CasePolicy): ClockCalculator | null => {
    if (pin.hash === policyInForce.policyHash) return memoizedCalculator(policyInForce);
    if (pin.hash !== null) {
      const recorded = registry.withHash(pin.hash);
      return recorded ? memoizedCalculator(recorded.calculator) : null;
    }
    const byVersion = registry.withVersion(pin.version);
    return memoizedCalculator(byVersion?.calculator ?? policyInForce);
  };

  const run = new WhatIfRun(proposed, currentFor, request, request.changesLimit);
  // The events stored when the run starts: later ones are not part of this answer.
  const head = (await store.headCheckpoint?.()) ?? null;
  let after: string | null = null;
  let events = 0;
  for (;;) {
    const page = await store.readAll({ after, maxCount: PAGE });
    if (page.events.length === 0) break;
    for (const event of page.events) {
      events++;
      if (isCaseStream(event.streamId)) run.apply({ type: event.type, data: event.data } as unknown as CaseEvent);
    }
    onProgress?.({ events, cases: run.casesSeen });
    after = page.checkpoint;
    if (head !== null && compareCheckpoints(after, head) >= 0) break;
  }
  return run.finish(request.asOf);
}
