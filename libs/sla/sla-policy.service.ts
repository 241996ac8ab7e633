import { readFileSync } from 'node:fs';
import { ClockCalculator } from '../domain/sla/sla-clock';
import { SlaPolicy, DEFAULT_SLA_POLICY, parseSlaPolicy } from '../domain/sla/policy';
import { createClockCalculator } from '../domain/sla/clock-calculator';
import { policyFingerprint } from '../domain/sla/policy-fingerprint';
import { SlaPolicyError } from '../domain/sla/sla-errors';
import type { CasePolicy, CaseState } from '../domain/case/case.state';
import type { CaseContext } from '../domain/case/case.commands';
import { EventStore } from '../event-store/event-store';
import { ProblemError } from '../platform/http/problem';
import { JsonLogger } from '../platform/logging/json-logger';
import { SlaPolicyRegistry } from './policy-registry';

/**
 * The SLA policy in force and its clock calculator, and every policy the service has run with.
 * Loaded once at start (a bad file stops start-up with the file, the field and the reason), then
 * recorded in the `sla-policies` stream with its content hash (`record`): a version already
 * recorded with other content stops start-up. A case keeps the policy it was submitted under:
 * `calculatorFor` gives its calculator for every later clock, whatever the policy in force.
 */
export class SlaPolicyService {
  readonly calculator: ClockCalculator;
  readonly hash: string;
  private registry: SlaPolicyRegistry | null = null;

  constructor(
    readonly policy: SlaPolicy,
    /** The policy file's path, or "built-in". */
    readonly source = 'built-in',
  ) {
    this.hash = policyFingerprint(policy);
    this.calculator = createClockCalculator(policy, this.hash);
  }

  static load(file: string | undefined): SlaPolicyService {
    if (!file) return new SlaPolicyService(DEFAULT_SLA_POLICY);
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new SlaPolicyError(file, [
        {
          field: '(file)',
          message: code ? `cannot be read (${code})` : `is not valid JSON (${(error as Error).message})`,
        },
      ]);
    }
    return new SlaPolicyService(parseSlaPolicy(raw, file), file);
  }

  /**
   * Records the policy in force (unless it already is) and reads every recorded one. Throws
   * SlaPolicyVersionConflictError when its version is recorded with another hash.
   */
  async record(store: EventStore, now: string, logger?: JsonLogger): Promise<void> {
    const registry = new SlaPolicyRegistry(store);
    await registry.record(this.policy, this.hash, this.source, now);
    this.registry = registry;
    for (const { version, hash, reason } of registry.unreadable) {
      logger?.event(
        'warn',
        `recorded SLA policy ${version} cannot be read by this version of the service; its cases are refused (503) here`,
        { hash, reason },
        'SlaPolicy',
      );
    }
  }

  /** The decide context of a command on a case: its own policy's calculator. */
  async contextFor(state: CaseState): Promise<Omit<CaseContext, 'now'>> {
    return { clocks: await this.calculatorFor(state?.policy ?? null) };
  }

  /**
   * The calculator of the policy a case runs under. A new case (no policy yet) gets the policy in
   * force. A pinned hash is looked up among the recorded policies (read again on a miss: another
   * process may have recorded it since); a case from before policies were pinned (version only)
   * gets the recorded policy of that version, else the one in force.
   */
  async calculatorFor(pin: CasePolicy | null): Promise<ClockCalculator> {
    if (pin === null) return this.calculator;
    if (pin.hash === null) {
      if (pin.version === this.policy.version) return this.calculator;
      return this.registry?.withVersion(pin.version)?.calculator ?? this.calculator;
    }
    if (pin.hash === this.hash) return this.calculator;
    let recorded = this.registry?.withHash(pin.hash);
    if (!recorded && this.registry) {
      await this.registry.refresh();
      recorded = this.registry.withHash(pin.hash);
    }
    if (recorded) return recorded.calculator;
    // Never count a case's clocks under rules it was not submitted under: refuse, write nothing.
    throw ProblemError.of(
      503,
      `the SLA policy this case runs under (version ${pin.version}, ${pin.hash}) is not available to this process; retry later`,
    );
  }
}
