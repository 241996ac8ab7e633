import { randomUUID } from 'node:crypto';
import { createClockCalculator } from '../domain/sla/clock-calculator';
import { SlaPolicy, parseSlaPolicy } from '../domain/sla/policy';
import type { ClockCalculator } from '../domain/sla/sla-clock';
import { SlaPolicyError, SlaPolicyVersionConflictError } from '../domain/sla/sla-errors';
import { EventStore, RecordedEvent } from '../event-store/event-store';
import { WrongExpectedRevisionError } from '../event-store/event-store.errors';
import { SLA_POLICY_STREAM } from '../events/streams';

/** The stream of every SLA policy the service has run with (named in libs/events/streams.ts). */
export { SLA_POLICY_STREAM };
export const SLA_POLICY_RECORDED = 'SlaPolicyRecorded';

/** The data of a SlaPolicyRecorded event. */
export interface SlaPolicyRecordedData {
  readonly version: string;
  /** policyFingerprint(policy): "sha256:" and 64 hex digits. */
  readonly hash: string;
  readonly policy: SlaPolicy;
  /** Where it came from: the policy file's path, or "built-in". */
  readonly source: string;
  /** When a process first started with it. */
  readonly at: string;
}

export interface RecordedPolicy {
  readonly version: string;
  readonly hash: string;
  readonly policy: SlaPolicy;
  readonly calculator: ClockCalculator;
}

/** A stored policy this code can no longer parse: it is left out (its cases are refused, not miscounted). */
export interface UnreadablePolicy {
  readonly version: string;
  readonly hash: string;
  readonly reason: string;
}

/** How many times a start re-reads the stream after another process recorded a policy first. */
const MAX_ATTEMPTS = 20;

/**
 * Every policy in the `sla-policies` stream, by version and by hash, each with its calculator,
 * so that a case's clocks are always computed under the policy it was submitted under, whatever
 * the process runs now. Read incrementally: `refresh` reads only the events after the last one seen.
 */
export class SlaPolicyRegistry {
  private readonly byHash = new Map<string, RecordedPolicy>();
  private readonly byVersion = new Map<string, RecordedPolicy>();
  readonly unreadable: UnreadablePolicy[] = [];
  private revision = -1;
  private refreshing: Promise<void> | null = null;

  constructor(private readonly store: EventStore) {}

  withHash(hash: string): RecordedPolicy | undefined {
    return this.byHash.get(hash);
  }

  withVersion(version: string): RecordedPolicy | undefined {
    return this.byVersion.get(version);
  }

  get size(): number {
    return this.byHash.size;
  }

  /** Reads the policies recorded since the last refresh (one read at a time). */
  refresh(): Promise<void> {
    this.refreshing ??= this.readNewer().finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  /**
   * Records `policy` unless it is already: refuses (SlaPolicyVersionConflictError) when its version
   * is recorded with other content. Safe when several processes start at once: the append expects
   * the revision just read, and a process that loses the race reads again and judges again.
   */
  async record(policy: SlaPolicy, hash: string, source: string, now: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      await this.refresh();
      const known = this.byVersion.get(policy.version) ?? this.unreadable.find((u) => u.version === policy.version);
      if (known) {
        if (known.hash === hash) return;
        throw new SlaPolicyVersionConflictError(source, policy.version, known.hash, hash);
      }
      const data: SlaPolicyRecordedData = { version: policy.version, hash, policy, source, at: now };
      try {
        await this.store.append(
          SLA_POLICY_STREAM,
          [
            {
              // A fresh id: racing starts are settled by the expected revision, and a second record of
              // the same version and hash (a retried append) is ignored when read.
              id: randomUUID(),
              type: SLA_POLICY_RECORDED,
              data: { ...data }, // the store takes a record; SlaPolicyRecordedData is an interface
              metadata: { actor: 'system', occurredAt: now, correlationId: hash, causationId: null },
            },
          ],
          this.revision < 0 ? 'no_stream' : this.revision,
        );
        await this.refresh();
        return;
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }

  private async readNewer(): Promise<void> {
    const events = await this.store.readStream(SLA_POLICY_STREAM, { fromRevision: this.revision + 1 });
    for (const event of events) {
      this.add(event);
      this.revision = event.revision;
    }
  }

  private add(event: RecordedEvent): void {
    if (event.type !== SLA_POLICY_RECORDED) return;
    const data = event.data;
    // The policy itself is checked by parseSlaPolicy below; these name it.
    if (typeof data.version !== 'string' || typeof data.hash !== 'string') return;
    if (this.byHash.has(data.hash) || this.byVersion.has(data.version)) return; // the first record of a version is the one
    try {
      // Built with the hash it was recorded under, so its clocks name exactly that.
      const policy = parseSlaPolicy(data.policy, `${SLA_POLICY_STREAM} ${data.version}`);
      const recorded: RecordedPolicy = {
        version: data.version,
        hash: data.hash,
        policy,
        calculator: createClockCalculator(policy, data.hash),
      };
      this.byHash.set(data.hash, recorded);
      this.byVersion.set(data.version, recorded);
    } catch (error) {
      if (!(error instanceof SlaPolicyError)) throw error;
      this.unreadable.push({ version: data.version, hash: data.hash, reason: error.message });
    }
  }
}
