import { createHash } from 'node:crypto';
import { EventStore } from '../event-store/event-store';
import { WrongExpectedRevisionError } from '../event-store/event-store.errors';
import { deterministicUuid } from '../platform/ids/deterministic-uuid';

// Crockford's base32 without I, L, O, U: easy to read out on the phone.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * Service-request references ("SR-261123-7KQ2XM": the date, then 6 characters) shown to the
 * submitter. Derived from the case id, so a retried submission gets the same one; made unique by
 * reserving it in a stream of its own (`no_stream`): a rare collision takes the next candidate.
 */
export async function reserveCaseReference(
  store: EventStore,
  caseId: string,
  now: string,
  actor: string,
): Promise<string> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const reference = candidateReference(caseId, now, attempt);
    const streamId = `reference-${reference}`;
    try {
      await store.append(
        streamId,
        [
          {
            // The same for a retried submission; the store recognises it (and `no_stream` refuses any other).
            id: deterministicUuid(streamId, caseId),
            type: 'CaseReferenceReserved',
            data: { reference, caseId },
            metadata: { actor, occurredAt: now, correlationId: caseId, causationId: null },
          },
        ],
        'no_stream',
      );
      return reference;
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
      // Taken: by this very case (a retried submission) or by another one.
      const [reserved] = await store.readStream(streamId, { maxCount: 1 });
      if (reserved?.data.caseId === caseId) return reference;
    }
  }
  throw new Error('could not reserve a unique case reference');
}

/** The reference a case would get at its `attempt`-th try (0: the first); reserving decides. */
export function candidateReference(caseId: string, now: string, attempt = 0): string {
  return `SR-${now.slice(2, 10).replace(/-/g, '')}-${code(`${caseId}:${attempt}`)}`;
}

function code(seed: string): string {
  const digest = createHash('sha256').update(seed).digest();
  let out = '';
  for (let i = 0; i < 6; i++) out += ALPHABET[digest[i] % 32];
  return out;
}
