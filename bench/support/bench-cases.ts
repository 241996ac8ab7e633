import { forEachConcurrent, LoadTarget, request } from './http-load';
import { bearer } from './service';

/** A partner's submission, the i-th of a benchmark (partners, customers, products and zones vary with i). */
export function benchSubmission(i: number): Record<string, unknown> {
  const zones = [
    { timeZone: 'Europe/Paris', country: 'FR' },
    { timeZone: 'America/New_York', country: 'US' },
    { timeZone: 'Asia/Tokyo', country: 'JP' },
  ];
  return {
    partnerId: `p-${String(i % 50).padStart(4, '0')}`,
    customerId: `c-${String(i).padStart(5, '0')}`,
    product: (['office365', 'crm-online', 'intune', 'enterprise-mobility'] as const)[i % 4],
    requestType: 'repair',
    submitterRole: 'delegated-admin',
    topic: 'Exchange Online',
    feature: 'Mail flow',
    symptom: 'Mail cannot be sent or received',
    summary: `Mail failures at customer ${i}`,
    details: 'Since 09:00 nobody in the tenant can send or receive mail.',
    serviceUnavailable: i % 10 < 2,
    usersAffected: 10 + i,
    contact: {
      name: `Contact ${i}`,
      email: `contact${i}@partner.example`,
      phone: '+33 1 23 45 67 89',
      ...zones[i % zones.length],
    },
    partnerAvailable24x7: true,
    // CRM Online's conditions (an Office 365 sign-in, a CRM Online subscription), needed for its repairs.
    ...(i % 4 === 1
      ? { crmOnline: { office365SignIn: `admin${i}@contoso.onmicrosoft.com`, subscriptionId: `crm-${i}` } }
      : {}),
  };
}

/**
 * Engineers (a manager and four engineers, on shift) and `count` open cases, each submitted, given
 * a severity (20 % A, 50 % B, 30 % C) and assigned, through the service's HTTP API at `baseUrl`.
 * Returns the case ids.
 */
export async function prepareCases(baseUrl: string, count: number): Promise<string[]> {
  const auth = bearer('support');
  const admin = bearer('admin');
  // Engineers of our own (a filled store has others, but a quick run may have none).
  for (const [id, managerId] of [
    ['bm-0', undefined],
    ['be-0', 'bm-0'],
    ['be-1', 'bm-0'],
    ['be-2', 'bm-0'],
    ['be-3', 'bm-0'],
  ] as const) {
    const r = await request(baseUrl, admin, 'POST', '/v1/engineers', {
      engineerId: id,
      name: `Bench ${id}`,
      email: `${id}@example.com`,
      timeZone: 'Europe/Paris',
      ...(managerId ? { managerId } : {}),
    });
    if (r.status !== 201) throw new Error(`engineer ${id}: ${r.status} ${JSON.stringify(r.body)}`);
    const on = await request(baseUrl, admin, 'POST', `/v1/engineers/${id}/availability`, { status: 'on-shift' });
    if (on.status >= 300) throw new Error(`availability of ${id}: ${on.status} ${JSON.stringify(on.body)}`);
  }
  const caseIds: string[] = [];
  await forEachConcurrent(
    Array.from({ length: count }, (_, i) => i),
    16,
    async (i) => {
      const submitted = await request(baseUrl, auth, 'POST', '/v1/cases', benchSubmission(i));
      if (submitted.status !== 201)
        throw new Error(`submission: ${submitted.status} ${JSON.stringify(submitted.body)}`);
      const caseId = submitted.body.caseId as string;
      const severity = i % 10 < 2 ? 'A' : i % 10 < 7 ? 'B' : 'C';
      const s = await request(baseUrl, auth, 'POST', `/v1/cases/${caseId}/severity`, {
        severity,
        reason: 'impact assessed',
      });
      if (s.status !== 200) throw new Error(`severity: ${s.status} ${JSON.stringify(s.body)}`);
      const a = await request(baseUrl, auth, 'POST', `/v1/cases/${caseId}/assignment`, { engineerId: `be-${i % 4}` });
      if (a.status !== 200) throw new Error(`assignment: ${a.status} ${JSON.stringify(a.body)}`);
      caseIds.push(caseId);
    },
  );
  return caseIds;
}

/** One update per case, as the load generator's targets. */
export function updateTargets(caseIds: readonly string[]): LoadTarget[] {
  return caseIds.map((id, i) => ({
    method: 'POST' as const,
    path: `/v1/cases/${id}/updates`,
    body: JSON.stringify({
      channel: (['email', 'phone', 'portal'] as const)[i % 3],
      summary: 'Investigating with the customer; next update soon.',
    }),
  }));
}
