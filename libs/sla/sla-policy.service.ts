import { readFileSync } from 'node:fs';
import { ClockCalculator } from '../domain/sla/sla-clock';
import { SlaPolicy, DEFAULT_SLA_POLICY, parseSlaPolicy } from '../domain/sla/policy';
import { createClockCalculator } from '../domain/sla/clock-calculator';
import { SlaPolicyError } from '../domain/sla/sla-errors';

/**
 * The SLA policy in force and its clock calculator. Loaded once at start (a bad file stops
 * start-up with the file, the field and the reason). Clocks record the policy version and their
 * due instants in their events, so a new policy only affects clocks started after it.
 */
export class SlaPolicyService {
  readonly calculator: ClockCalculator;

  constructor(readonly policy: SlaPolicy) {
    this.calculator = createClockCalculator(policy);
  }

  static load(file: string | undefined): SlaPolicyService {
    if (!file) return new SlaPolicyService(DEFAULT_SLA_POLICY);
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new SlaPolicyError(file, [
        { field: '(file)', message: code ? `cannot be read (${code})` : `is not valid JSON (${(error as Error).message})` },
      ]);
    }
    return new SlaPolicyService(parseSlaPolicy(raw, file));
  }
}
