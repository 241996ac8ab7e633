import { startTestService, TestService } from '../support/test-service';
import { caseBody, expectProblem, getCase, history, submitCase, types, unique } from '../support/case-fixtures';

const PARALLEL = 20;

describe('concurrent case commands over HTTP (embedded store)', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService();
  });
  afterAll(() => service.close());

  it(`${PARALLEL} parallel updates with the same If-Match: exactly one 201, the others 412, one UpdateSent written`, async () => {
    const { caseId, body } = await submitCase(service, { proposedSeverity: 'A' });
    const before = await history(service, caseId);
    const responses = await Promise.all(
      Array.from({ length: PARALLEL }, (_, i) =>
        service.request('POST', `/v1/cases/${caseId}/updates`, {
          body: { channel: 'email', summary: `racer ${i}` },
          headers: { 'if-match': `"${body.revision}"` },
        }),
      ),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 412)).toHaveLength(PARALLEL - 1);
    for (const refused of responses.filter((r) => r.status === 412)) expectProblem(refused, 412);

    const winner = responses.find((r) => r.status === 201)!;
    const after = await history(service, caseId);
    const added = after.slice(before.length);
    expect(types(added)).toEqual(['UpdateSent', 'SlaClockStarted']);
    expect(added[0].data.initialResponse).toBe(true);
    expect(added[0].data.summary).toBe(`racer ${responses.indexOf(winner)}`);
    expect(winner.body).toMatchObject({
      initialResponse: true,
      revision: after[after.length - 1].revision,
      position: after[after.length - 1].position,
    });
    expect(winner.headers.get('etag')).toBe(`"${after[after.length - 1].revision}"`);
  });

  it(`${PARALLEL} parallel updates without If-Match: all succeed and none is lost`, async () => {
    const { caseId } = await submitCase(service, { proposedSeverity: 'A' });
    const before = await history(service, caseId);
    const responses = await Promise.all(
      Array.from({ length: PARALLEL }, (_, i) =>
        service.request('POST', `/v1/cases/${caseId}/updates`, { body: { channel: 'portal', summary: `update ${i}` } }),
      ),
    );
    expect(responses.filter((r) => r.status !== 201).map((r) => `${r.status} ${r.body.detail}`)).toEqual([]);
    // Exactly one of them was the initial response; every answer names a different revision.
    expect(responses.filter((r) => r.body.initialResponse === true)).toHaveLength(1);
    expect(new Set(responses.map((r) => r.body.revision)).size).toBe(PARALLEL);

    const after = await history(service, caseId);
    const sent = after.slice(before.length).filter((e) => e.type === 'UpdateSent');
    expect(sent.map((e) => e.data.summary).sort()).toEqual(
      Array.from({ length: PARALLEL }, (_, i) => `update ${i}`).sort(),
    );
    expect(sent.filter((e) => e.data.initialResponse)).toHaveLength(1);
    // The stream has no gaps and no duplicates.
    expect(after.map((e) => e.revision)).toEqual(after.map((_, i) => i));
    expect((await getCase(service, caseId)).updateCount).toBe(PARALLEL);
  });

  it(`${PARALLEL} parallel submissions: ${PARALLEL} distinct cases and references`, async () => {
    const responses = await Promise.all(
      Array.from({ length: PARALLEL }, () => service.request('POST', '/v1/cases', { body: caseBody() })),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(PARALLEL).fill(201));
    expect(new Set(responses.map((r) => r.body.caseId)).size).toBe(PARALLEL);
    expect(new Set(responses.map((r) => r.body.reference)).size).toBe(PARALLEL);
    // Adapted (issue 19): an open case records its untriaged severity and clock at submission.
    for (const r of responses)
      expect((await history(service, r.body.caseId)).map((e) => e.type)).toEqual([
        'CaseSubmitted',
        'SeverityAssigned',
        'SlaClockStarted',
      ]);
  });

  it('a repeated Idempotency-Key racing itself creates one case', async () => {
    const body = caseBody({ proposedSeverity: 'B' });
    const key = `race-${unique()}`;
    const responses = await Promise.all(
      Array.from({ length: 5 }, () =>
        service.request('POST', '/v1/cases', { body, headers: { 'idempotency-key': key } }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(5).fill(201));
    const ids = new Set(responses.map((r) => r.body.caseId));
    expect(ids.size).toBe(1);
    expect(new Set(responses.map((r) => r.body.reference)).size).toBe(1);
    expect(types(await history(service, [...ids][0]))).toEqual([
      'CaseSubmitted',
      'SeverityAssigned',
      'SlaClockStarted',
    ]);
  });
});
