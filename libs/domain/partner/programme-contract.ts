/**
 * The Signature Cloud Support programme's own identifiers (sent to the programme's primary
 * contact when the benefit is activated; not the generic partner-benefit contract). The source
 * states no format, so the service fixes one (docs/domain.md, "Eligibility"): an access ID is 6
 * to 20 ASCII letters or digits, a contract ID 6 to 12 digits. Compared exactly as submitted.
 */
export interface ProgrammeContract {
  readonly accessId: string;
  readonly contractId: string;
}

export const ACCESS_ID_SHAPE = /^[A-Za-z0-9]{6,20}$/;
export const CONTRACT_ID_SHAPE = /^[0-9]{6,12}$/;

/** Both identifiers, when both are present and well formed; otherwise null (eligibility says why). */
export function wellFormedContract(ids: {
  accessId?: string | null;
  contractId?: string | null;
}): ProgrammeContract | null {
  const { accessId, contractId } = ids;
  if (!accessId || !ACCESS_ID_SHAPE.test(accessId)) return null;
  if (!contractId || !CONTRACT_ID_SHAPE.test(contractId)) return null;
  return { accessId, contractId };
}

/**
 * Why `requested` may not be used by a partner bound to `bound`, or null when it may (no binding
 * yet, or the same pair). The source: the identifiers "will be associated with your sign-in for
 * future requests", so a partner has one programme contract, the one it first used.
 */
export function contractConflict(
  partnerId: string,
  bound: ProgrammeContract | null,
  requested: ProgrammeContract,
): string | null {
  if (!bound) return null;
  if (bound.contractId !== requested.contractId) {
    return `partner ${partnerId} is bound to programme contract ${bound.contractId} (its first use); this request names contract ${requested.contractId}`;
  }
  if (bound.accessId !== requested.accessId) {
    return `partner ${partnerId} is bound to programme contract ${bound.contractId} with another access ID (its first use); this request names a different access ID`;
  }
  return null;
}

/** The reason code of the refusal (problem+json `reason`). */
export const CONTRACT_NOT_BOUND_TO_PARTNER = 'contract-not-bound-to-partner';
