import type { EngineerAvailability } from '../engineer/engineer.types';

/** An engineer the handler offers for a severity-A transfer, with the workload it read. */
export interface TransferCandidate {
  readonly engineerId: string;
  readonly managerId?: string | null;
  readonly availability: EngineerAvailability;
  readonly openSeverityACases: number;
  /** The engineer's backup (who takes its severity-A calls while it is not on shift). */
  readonly backupEngineerId?: string | null;
}

const byEngineerId = (a: TransferCandidate, b: TransferCandidate): number =>
  a.engineerId < b.engineerId ? -1 : a.engineerId > b.engineerId ? 1 : 0;

/**
 * The "next available engineer" of a severity-A call: on shift, not the one who has the case,
 * with the fewest open severity-A cases; ties go to the lowest engineerId so the choice is
 * deterministic and replayable. null when nobody qualifies.
 */
export function nextAvailableEngineer(
  candidates: readonly TransferCandidate[],
  currentEngineerId: string | null,
): TransferCandidate | null {
  const eligible = candidates
    .filter((c) => c.availability === 'on-shift' && c.engineerId !== currentEngineerId)
    .sort((a, b) => a.openSeverityACases - b.openSeverityACases || byEngineerId(a, b));
  return eligible[0] ?? null;
}
