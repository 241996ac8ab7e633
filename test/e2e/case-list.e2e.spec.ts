import { startTestService, TestService } from '../support/test-service';
import { submission } from '../support/case-requests';

describe('GET /v1/cases: the case list read model', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService({ store: 'postgres' });
  });
  afterAll(() => service.close());

  it('a read with consistentWith of a command position sees that command', async () => {
    const submitted = await service.request('POST', '/v1/cases', { body: submission({ summary: 'read-your-writes' }) });
    const list = await service.request('GET', `/v1/cases?consistentWith=${submitted.body.position}`);
    expect(list.status).toBe(200);
    expect(list.body.items[0]).toMatchObject({
      caseId: submitted.body.caseId,
      status: 'open',
      severity: 'A',
      summary: 'read-your-writes',
    });
    const resolved = await service.request('POST', `/v1/cases/${submitted.body.caseId}/resolution`, {
      body: { summary: 'done' },
    });
    const after = await service.request('GET', `/v1/cases?status=resolved&consistentWith=${resolved.body.position}`);
    expect(after.body.items.map((c: { caseId: string }) => c.caseId)).toContain(submitted.body.caseId);
  });

  it('filters by status, severity, engineer, partner, product and sla; paginates with a cursor', async () => {
    await service.request('POST', '/v1/engineers', {
      key: 'admin',
      body: { engineerId: 'e-list', name: 'L', email: 'l@example.com', timeZone: 'UTC' },
    });
    const ids: string[] = [];
    let position = '0';
    for (let i = 0; i < 7; i++) {
      const body = submission({
        partnerId: i % 2 ? 'p-contoso' : 'p-northwind',
        product: i % 3 === 0 ? 'intune' : 'office365',
        submitterRole: 'admin',
        customerId: null,
        proposedSeverity: i < 3 ? 'B' : 'C',
      });
      const r = await service.request('POST', '/v1/cases', { body });
      ids.push(r.body.caseId);
      position = r.body.position;
    }
    const assigned = await service.request('POST', `/v1/cases/${ids[0]}/assignment`, {
      body: { engineerId: 'e-list' },
    });
    expect(assigned.status).toBe(200);
    position = assigned.body.position;
    const get = (query: string) => service.request('GET', `/v1/cases?${query}&consistentWith=${position}`);

    const b = (await get('severity=B')).body.items.map((c: { caseId: string }) => c.caseId);
    expect(b.sort()).toEqual(ids.slice(0, 3).sort());
    expect((await get('engineerId=e-list')).body.items.map((c: { caseId: string }) => c.caseId)).toEqual([ids[0]]);
    const intune = (await get('product=intune&severity=C')).body.items.map((c: { caseId: string }) => c.caseId);
    expect(intune.sort()).toEqual([ids[3], ids[6]].sort());
    const northwind = (await get('partnerId=p-northwind&severity=C')).body.items;
    expect(northwind.every((c: { partnerId: string }) => c.partnerId === 'p-northwind')).toBe(true);
    expect((await get('sla=breached&severity=C')).body.items).toEqual([]);

    // Pages of 3 over the 4 severity-C cases, newest first, no overlap.
    const first = await get('severity=C&limit=3');
    expect(first.body.items).toHaveLength(3);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await get(`severity=C&limit=3&cursor=${first.body.nextCursor}`);
    expect(second.body.items).toHaveLength(1);
    expect(second.body.nextCursor).toBeNull();
    const paged = [...first.body.items, ...second.body.items].map((c: { caseId: string }) => c.caseId);
    expect(paged).toEqual([ids[6], ids[5], ids[4], ids[3]]);
  });

  it('a partner sees only its own cases; bad filters are 400 naming the field', async () => {
    const mine = await service.request('GET', '/v1/cases?limit=200', { key: 'partner' });
    expect(mine.status).toBe(200);
    expect(mine.body.items.length).toBeGreaterThan(0);
    expect(mine.body.items.every((c: { partnerId: string }) => c.partnerId === 'p-contoso')).toBe(true);
    const other = await service.request('GET', '/v1/cases?partnerId=p-northwind', { key: 'partner' });
    expect(other.body.items).toEqual([]);
    const bad = await service.request('GET', '/v1/cases?status=lost&severity=Z&limit=0&sla=late&cursor=xyz&bogus=1');
    expect(bad.status).toBe(400);
    const fields = bad.body.errors.map((e: { field: string }) => e.field);
    for (const field of ['status', 'severity', 'limit', 'sla', 'bogus']) expect(fields).toContain(field);
    const badCursor = await service.request('GET', '/v1/cases?cursor=xyz');
    expect(badCursor.status).toBe(400);
    expect(badCursor.body.errors[0].field).toBe('cursor');
  });
});
