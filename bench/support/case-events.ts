import { randomUUID } from 'node:crypto';
import { deterministicUuid } from '../../libs/platform/ids/deterministic-uuid';
import { uuidv7 } from '../../libs/platform/ids/uuid-v7';
import { caseDecider } from '../../libs/domain/case/case.decider';
import { CaseCommand, CaseContext } from '../../libs/domain/case/case.commands';
import { CaseState } from '../../libs/domain/case/case.state';
import { Product, Severity } from '../../libs/domain/case/case.types';
import { EventStore, NewEvent } from '../../libs/event-store/event-store';
import { SlaPolicyService } from '../../libs/sla/sla-policy.service';
import type { ClockCalculator, ClockDue } from '../../libs/domain/sla/sla-clock';
import { seededRandom } from '../../libs/domain/case/testing/random-history';
import { log } from './metrics';

/**
 * Realistic case events, made by running real commands through the case decider (pure, no I/O)
 * with the built-in SLA policy's real clock calculator (business calendars, holidays, DST):
 *
 *   SubmitCase                     -> CaseSubmitted
 *   AssignSeverity (A 20 %, B 50 %, C 30 %) -> SeverityAssigned, SlaClockStarted (initial response)
 *   AssignEngineer (50 engineers)  -> EngineerAssigned
 *   LogUpdate x 3                  -> UpdateSent, SlaClockStarted (next update), x 3
 *
 * = 10 events per case; every case stays open. Cases are spread over the 30 days before `now`
 * (older cases first, as they would have been written), over 200 partners, 5 products and 6
 * contact time zones. The events are then appended through the event store, one append per case.
 */
export const EVENTS_PER_CASE = 10;
export const ENGINEERS = 50;
export const MANAGERS = 5;
export const PARTNERS = 200;

const ZONES = [
  { timeZone: 'Europe/Paris', country: 'FR' },
  { timeZone: 'America/New_York', country: 'US' },
  { timeZone: 'Europe/London', country: 'GB' },
  { timeZone: 'Asia/Tokyo', country: 'JP' },
  { timeZone: 'Europe/Berlin', country: 'DE' },
  { timeZone: 'Australia/Sydney', country: 'AU' },
];
const MINUTE = 60_000;
/** Covered products whose on-behalf submissions a delegated admin may open (no Azure ids needed). */
const PRODUCTS_WORKED: Product[] = ['office365', 'crm-online', 'intune', 'enterprise-mobility'];

export const engineerId = (i: number) => `e-${String(i % ENGINEERS).padStart(3, '0')}`;
export const managerId = (i: number) => `m-${String(i % MANAGERS).padStart(2, '0')}`;
export const partnerId = (i: number) => `p-${String(i % PARTNERS).padStart(4, '0')}`;

/** A deterministic UUID from a seed, so a run's data is reproducible: the service's own helper. */
export const seededUuid = (seed: string): string => deterministicUuid(seed);

/**
 * The real calculator, remembering its answers: the same (kind, severity, start, place) always has
 * the same due instants, and generating 100k cases would otherwise spend most of its time in
 * luxon's zone validation (see BENCHMARKS.md, "bottlenecks elsewhere").
 */
function memoized(calculator: ClockCalculator): ClockCalculator {
  const cache = new Map<string, ClockDue>();
  return {
    policyVersion: calculator.policyVersion,
    policyHash: calculator.policyHash,
    publicHolidays: calculator.publicHolidays,
    caseRules: calculator.caseRules,
    clockTimeBetween: (...args) => calculator.clockTimeBetween(...args),
    addClockTime: (...args) => calculator.addClockTime(...args),
    clockFor(kind, severity, startedAt, location) {
      const key = `${kind}|${severity}|${startedAt}|${location.timeZone}|${location.country ?? ''}|${location.region ?? ''}`;
      let due = cache.get(key);
      if (!due) {
        due = calculator.clockFor(kind, severity, startedAt, location);
        cache.set(key, due);
      }
      return due;
    },
  };
}

export class CaseEventGenerator {
  private readonly clocks = memoized(SlaPolicyService.load(undefined).calculator);
  private readonly random: () => number;

  constructor(
    private readonly runId: string,
    private readonly totalCases: number,
    private readonly nowMs = Date.now() - 3 * 3600_000,
  ) {
    this.random = seededRandom(totalCases);
  }

  /** The engineers' and managers' EngineerRegistered events (one stream each). */
  engineerStreams(): Array<{ streamId: string; events: NewEvent[] }> {
    const at = new Date(this.nowMs - 40 * 24 * 3600_000).toISOString();
    const people = [
      ...Array.from({ length: MANAGERS }, (_, i) => ({ id: managerId(i), managerId: null as string | null })),
      ...Array.from({ length: ENGINEERS }, (_, i) => ({ id: engineerId(i), managerId: managerId(i) })),
    ];
    return people.map((p) => ({
      streamId: `engineer-${p.id}`,
      events: [
        this.toNew(
          {
            type: 'EngineerRegistered',
            data: {
              engineerId: p.id,
              name: `Engineer ${p.id}`,
              email: `${p.id}@example.com`,
              managerId: p.managerId,
              timeZone: 'Europe/Paris',
              by: 'admin-1',
              at,
            },
          },
          `engineer-${p.id}`,
          0,
          at,
        ),
      ],
    }));
  }

  /** Case number `i` (0-based): its stream id and its 10 events, decided by the case decider. */
  caseStream(i: number): { caseId: string; streamId: string; events: NewEvent[] } {
    const caseId = seededUuid(`${this.runId}:case:${i}`);
    const streamId = `case-${caseId}`;
    const spanMs = 30 * 24 * 3600_000;
    // Submissions on the hour: the memoized clock calculator then answers most clocks from cache.
    const t0 = Math.floor((this.nowMs - spanMs + (i / Math.max(1, this.totalCases)) * spanMs) / 3600_000) * 3600_000;
    const at = (minutes: number) => new Date(t0 + minutes * MINUTE).toISOString();
    const r = this.random();
    const severity: Severity = r < 0.2 ? 'A' : r < 0.7 ? 'B' : 'C';
    const zone = ZONES[i % ZONES.length];
    const partner = partnerId(i * 7 + 3);
    const engineer = engineerId(i * 13 + 1);
    const by = 'support-1';
    const commands: Array<[number, CaseCommand]> = [
      [
        0,
        {
          type: 'SubmitCase',
          data: {
            caseId,
            reference: `SR-${at(0).slice(2, 10).replace(/-/g, '')}-${caseId.slice(0, 6).toUpperCase()}`,
            submittedBy: by,
            partnerId: partner,
            customerId: `c-${String(i % 5000).padStart(5, '0')}`,
            product: PRODUCTS_WORKED[i % PRODUCTS_WORKED.length],
            // CRM Online's conditions, needed for its repairs.
            crmOnline:
              PRODUCTS_WORKED[i % PRODUCTS_WORKED.length] === 'crm-online'
                ? { office365SignIn: `admin${i % 5000}@contoso.onmicrosoft.com`, subscriptionId: `crm-${i % 5000}` }
                : null,
            requestType: 'repair',
            submitterRole: 'delegated-admin',
            topic: 'Exchange Online',
            feature: 'Mail flow',
            symptom: 'Mail cannot be sent or received',
            summary: `Mail send/receive failures at customer ${i % 5000}`,
            details: 'Since 09:00 nobody in the tenant can send or receive mail; the trace is attached.',
            serviceUnavailable: severity === 'A',
            usersAffected: 10 + (i % 500),
            contact: {
              name: `Contact ${i}`,
              email: `contact${i}@partner.example`,
              phone: '+33 1 23 45 67 89',
              ...zone,
            },
            partnerAvailable24x7: true,
            proposedSeverity: null,
            attachments: [{ name: 'trace.log', contentType: 'text/plain', sizeBytes: 1024 }],
          },
        },
      ],
      [2, { type: 'AssignSeverity', data: { severity, reason: 'impact assessed on the first call', by } }],
      [
        5,
        {
          type: 'AssignEngineer',
          data: { engineerId: engineer, engineer: { engineerId: engineer, managerId: managerId(i * 13 + 1) }, by },
        },
      ],
      [
        15,
        { type: 'LogUpdate', data: { channel: 'email', summary: 'Acknowledged; collecting the message trace.', by } },
      ],
      [
        45,
        {
          type: 'LogUpdate',
          data: { channel: 'phone', summary: 'Root cause found in a transport rule; fix in progress.', by },
        },
      ],
      [
        90,
        {
          type: 'LogUpdate',
          data: { channel: 'portal', summary: 'Fix deployed; monitoring mail flow with the customer.', by },
        },
      ],
    ];
    let state: CaseState = caseDecider.initialState();
    const events: NewEvent[] = [];
    for (const [minutes, command] of commands) {
      const now = at(minutes);
      const context: CaseContext = { now, clocks: this.clocks };
      const decided = caseDecider.decide(command, state, context);
      for (const event of decided) {
        state = caseDecider.evolve(state, event);
        events.push(this.toNew(event, streamId, events.length, now));
      }
    }
    return { caseId, streamId, events };
  }

  private toNew(event: { type: string; data: object }, streamId: string, index: number, occurredAt: string): NewEvent {
    return {
      id: uuidv7(),
      type: event.type,
      data: event.data as Record<string, unknown>,
      metadata: {
        actor: 'support-1',
        actorRole: 'support',
        occurredAt,
        correlationId: randomUUID(),
        causationId: null,
      },
    };
  }
}

/**
 * Appends `cases` generated cases (and the engineers) through the store, `concurrency` appends in
 * flight, one append (10 events, expected no_stream) per case. Returns the events written.
 */
export async function loadCaseEvents(
  store: EventStore,
  runId: string,
  cases: number,
  options: { concurrency?: number; scope?: string } = {},
): Promise<{ events: number; seconds: number; caseIds: string[] }> {
  const generator = new CaseEventGenerator(runId, cases);
  const started = performance.now();
  let events = 0;
  for (const s of generator.engineerStreams()) {
    await store.append(s.streamId, s.events, 'no_stream');
    events += s.events.length;
  }
  const caseIds: string[] = new Array(cases);
  let next = 0;
  let lastLog = started;
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= cases) return;
      const c = generator.caseStream(i);
      caseIds[i] = c.caseId;
      await store.append(c.streamId, c.events, 'no_stream');
      events += c.events.length;
      if (performance.now() - lastLog > 5000) {
        lastLog = performance.now();
        log(options.scope ?? 'data', `${events.toLocaleString('en-US')} events written`);
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 8 }, worker));
  return { events, seconds: (performance.now() - started) / 1000, caseIds };
}
