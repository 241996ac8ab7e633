import { DEFAULT_SLA_POLICY, parseSlaPolicy } from './policy';
import { canonicalJson, policyFingerprint } from './policy-fingerprint';

describe('policy fingerprint', () => {
  it('canonical JSON sorts keys at every depth, keeps array order, drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: 'x' }, u: undefined })).toBe('{"a":{"c":"x","d":[2,1]},"b":1}');
  });

  it('the same policy in another key order or layout has the same hash', () => {
    const text = JSON.stringify(
      {
        severities: DEFAULT_SLA_POLICY.severities,
        businessCalendar: DEFAULT_SLA_POLICY.businessCalendar,
        escalateAfterOverdue: 'PT1H',
        warnAt: 0.75,
        version: 'default-2026-11',
      },
      null,
      4,
    );
    expect(policyFingerprint(parseSlaPolicy(JSON.parse(text), 'x.json'))).toBe(policyFingerprint(DEFAULT_SLA_POLICY));
  });

  it('is "sha256:" and 64 hex digits', () => {
    expect(policyFingerprint(DEFAULT_SLA_POLICY)).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('any change of a target changes it, even under the same version', () => {
    const changed = {
      ...DEFAULT_SLA_POLICY,
      severities: {
        ...DEFAULT_SLA_POLICY.severities,
        B: { ...DEFAULT_SLA_POLICY.severities.B, initialResponse: 'PT3H' },
      },
    };
    expect(policyFingerprint(changed)).not.toBe(policyFingerprint(DEFAULT_SLA_POLICY));
  });

  it('an absent closedDates and an empty one are the same policy once parsed', () => {
    const { closedDates: _c, ...calendar } = DEFAULT_SLA_POLICY.businessCalendar;
    const without = parseSlaPolicy({ ...DEFAULT_SLA_POLICY, businessCalendar: calendar }, 'x.json');
    expect(policyFingerprint(without)).toBe(policyFingerprint(DEFAULT_SLA_POLICY));
  });
});
