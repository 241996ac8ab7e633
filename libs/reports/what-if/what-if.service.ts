import { setImmediate as yieldToOthers } from 'node:timers/promises';
import { createClockCalculator } from '../../domain/sla/clock-calculator';
import { parseSlaPolicy } from '../../domain/sla/policy';
import { policyFingerprint } from '../../domain/sla/policy-fingerprint';
import { parseCaseEvents } from '../../events/event-parser';
import { caseIdOfStream } from '../../events/streams';
import { WhatIfFilter, WhatIfResult, WhatIfRun } from '../../domain/sla/replay/what-if';
import { compareCheckpoints } from '../../event-store/checkpoint';
import { EventStore } from '../../event-store/event-store';
import { memoizedCalculator } from './memoized-calculator';

export interface WhatIfRequest extends WhatIfFilter {
  /** The proposed policy document, as in a policy file (validated like SLA_POLICY_FILE at start). */
  readonly policy: unknown;
  /** Where it came from, named in validation problems ("in the request body", a file path). */
  readonly source: string;
  /** The instant the replay ends at: clocks still running then are judged as they stand. */
  readonly asOf: string;
  readonly changesLimit?: number;
}

/** Options of a run, not of the question: how long it may take and how it shares its thread. */
export interface WhatIfLimits {
  /** performance.now() past which the run gives up with a WhatIfTimeoutError (HTTP: 503). */
  readonly deadline?: number;
  /** Milliseconds of replay between two yields to the event loop (default 20). */
  readonly sliceMs?: number;
  /**
   * The former memory use, for the benchmark's "before" figure: every case's replays kept to the
   * end, caches of 200k answers each.
   */
  readonly baseline?: boolean;
}

/** The run went past its deadline (`timeoutMs`); nothing was written. */
export class WhatIfTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`the what-if did not finish within ${timeoutMs} ms`);
    this.name = 'WhatIfTimeoutError';
  }
}

export interface WhatIfProgress {
  readonly events: number;
  readonly cases: number;
}

/** Streams are `case-<id>`; only those hold case events. */
const PAGE = 5000;

/**
 * Runs a what-if over the store: validates the proposed policy (every problem at once, the same
 * SlaPolicyError as at start), then streams every event once, in store order and in pages,
 * through a WhatIfRun (memory: the cases' live clocks, not the events). Writes nothing. The side
 * of the policy each case really ran under is its recorded clocks, so no recorded policy needs
 * to be readable here.
 */
export async function runWhatIf(
  store: EventStore,
  request: WhatIfRequest,
  onProgress?: (progress: WhatIfProgress) => void,
  limits: WhatIfLimits = {},
): Promise<WhatIfResult> {
  const started = performance.now();
  const sliceMs = limits.sliceMs ?? 20;
  const checkDeadline = () => {
    if (limits.deadline !== undefined && performance.now() >= limits.deadline)
      throw new WhatIfTimeoutError(Math.round(limits.deadline - started));
  };
  const policy = parseSlaPolicy(request.policy, request.source);
  const proposed = memoizedCalculator(
    createClockCalculator(policy, policyFingerprint(policy)),
    limits.baseline ? 200_000 : undefined,
  );
  const run = new WhatIfRun(proposed, request, request.changesLimit, { keepIdleCases: limits.baseline });
  // The events stored when the run starts: later ones are not part of this answer.
  const head = (await store.headCheckpoint?.()) ?? null;
  let events = 0;
  // The next page is read while this one is replayed (the database works on the other core).
  let next = store.readAll({ after: null, maxCount: PAGE });
  // A run given up (deadline) leaves a read in flight: its failure is nobody's to report.
  next.catch(() => undefined);
  for (;;) {
    const page = await next;
    if (page.events.length === 0) break;
    const done = head !== null && compareCheckpoints(page.checkpoint, head) >= 0;
    if (!done) {
      next = store.readAll({ after: page.checkpoint, maxCount: PAGE });
      next.catch(() => undefined);
    }
    events += page.events.length;
    // Replayed in slices, yielding between them: over HTTP the run shares its thread with every
    // other request, which must not wait for a whole page (a page is ~200 ms of replay).
    let slice = performance.now();
    for (const event of parseCaseEvents(page.events)) {
      if (caseIdOfStream(event.streamId) !== null) run.apply(event);
      if (performance.now() - slice >= sliceMs) {
        checkDeadline();
        await yieldToOthers();
        slice = performance.now();
      }
    }
    checkDeadline();
    onProgress?.({ events, cases: run.casesSeen });
    if (done) break;
  }
  return run.finish(request.asOf);
}
