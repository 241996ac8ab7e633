import { startTestService, TestService } from '../support/test-service';
import { fuzzEveryRoute } from '../support/route-fuzzer';

/**
 * Every route of the OpenAPI document, fuzzed with malformed and hostile input (see
 * fuzzEveryRoute(): no 5xx, problem+json refusals, no write by a refused request, the service and
 * its projections still working at the end). FUZZ_REQUESTS sets the size of the run.
 */
describe('fuzzing every documented route (embedded store)', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService();
  }, 180_000);
  afterAll(() => service?.close());

  it('answers at least 5,000 hostile requests without a 5xx, a bare error or a write by a refusal', async () => {
    const requests = Number(process.env.FUZZ_REQUESTS ?? 5200);
    const report = await fuzzEveryRoute(service, { requests });
    // What the run covered, for whoever reads the log.
    process.stdout.write(
      `fuzz (embedded): ${report.sent} requests over ${report.routes.length} routes; statuses ${JSON.stringify(report.statuses)}\n`,
    );
    expect(report.routes.length).toBeGreaterThan(10);
    expect(report.sent).toBeGreaterThanOrEqual(Math.min(requests, 5000));
    // Not only refusals: near-valid requests get through to the handlers and write.
    expect(Object.keys(report.statuses).filter((s) => Number(s) < 300).length).toBeGreaterThan(0);
  }, 600_000);
});
