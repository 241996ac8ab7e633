import { RecordedEvent } from '../event-store/event-store';
import { evolveCase } from '../domain/case/case.evolve';
import { fold } from '../domain/shared/decider';
import { createEventParser, isCaseEvent, parseCaseEvents, parseStoredEvent, parseStoredEvents } from './event-parser';
import { caseIdOfStream, caseStreamId, engineerStreamId } from './streams';

const CASE_ID = '0b7f5d1e-8f0a-4c1e-9a51-3c2d9e4b7a10';
let position = 0;
const recorded = (type: string, data: Record<string, unknown>, streamId = caseStreamId(CASE_ID)): RecordedEvent => {
  position++;
  return {
    id: `e-${position}`,
    streamId,
    revision: position - 1,
    position: String(position),
    checkpoint: `1:${position}`,
    type,
    data,
    metadata: { actor: 't', occurredAt: '2026-03-02T09:00:00.000Z', correlationId: 'c', causationId: null },
  };
};

describe('stream names: one place builds them and reads them back', () => {
  it('a case stream gives back its case id; other streams (and hand-made names) give null', () => {
    expect(caseIdOfStream(caseStreamId(CASE_ID))).toBe(CASE_ID);
    expect(caseIdOfStream(engineerStreamId('eng-1'))).toBeNull();
    expect(caseIdOfStream('case-not-a-uuid')).toBeNull();
    expect(caseIdOfStream('sla-policies')).toBeNull();
    expect(caseIdOfStream(`x${caseStreamId(CASE_ID)}`)).toBeNull();
  });
});

describe('parseStoredEvent: stored events into the domain union', () => {
  it('keeps the envelope and narrows by type: a switch on type reads typed data', () => {
    const event = parseStoredEvent(
      recorded('EngineerAssigned', {
        caseId: CASE_ID,
        engineerId: 'eng-7',
        managerId: null,
        previousEngineerId: null,
        by: 'lead',
        at: 'x',
      }),
    );
    expect(event).not.toBeNull();
    expect(event).toMatchObject({
      id: expect.any(String),
      streamId: caseStreamId(CASE_ID),
      checkpoint: expect.any(String),
      type: 'EngineerAssigned',
    });
    // The compiler narrows data here: no cast.
    const engineer = event && event.type === 'EngineerAssigned' ? event.data.engineerId : null;
    expect(engineer).toBe('eng-7');
    expect(event && isCaseEvent(event)).toBe(true);
    const registered = parseStoredEvent(
      recorded('EngineerRegistered', { engineerId: 'eng-7' }, engineerStreamId('eng-7')),
    );
    expect(registered && isCaseEvent(registered)).toBe(false);
  });

  it('skips what is not a domain event (unknown type, data not an object), keeping the order of the rest', () => {
    const events = [
      recorded('CaseSubmitted', { caseId: CASE_ID }),
      recorded('SomethingNewer', { caseId: CASE_ID }),
      recorded('SlaPolicyRecorded', { version: 'v1' }, 'sla-policies'),
      recorded('CaseClosed', [] as unknown as Record<string, unknown>),
      recorded('CaseClosed', { caseId: CASE_ID, by: 'x', at: 'y' }),
    ];
    expect(parseStoredEvents(events).map((e) => e.type)).toEqual(['CaseSubmitted', 'CaseClosed']);
    expect(parseStoredEvents(events).map((e) => e.id)).toEqual([events[0].id, events[4].id]);
  });

  it('hands events without an upcaster over as they are (no copy on the hot path)', () => {
    const event = recorded('CaseClosed', { caseId: CASE_ID, by: 'x', at: 'y' });
    expect(parseStoredEvent(event)).toBe(event);
  });
});

describe("upcasters: old shapes are brought to today's before any consumer sees them", () => {
  // An imaginary old shape: UpdateSent once called its channel "medium" and had no meetsClockId.
  const parse = createEventParser({
    UpdateSent: [
      (data) => ('medium' in data ? { ...data, channel: data.medium, medium: undefined } : data),
      (data, event) => ({ meetsClockId: null, ...data, initialResponse: data.initialResponse ?? event.revision === 1 }),
    ],
  });

  it("applies a type's upcasters in order, given the stored event; other types and the stored event are untouched", () => {
    const old = recorded('UpdateSent', { caseId: CASE_ID, medium: 'phone', summary: 's', by: 'eng', at: 'a' });
    const event = parse(old);
    expect(event?.type).toBe('UpdateSent');
    if (event?.type !== 'UpdateSent') throw new Error('unreachable');
    expect(event.data).toMatchObject({ channel: 'phone', meetsClockId: null, summary: 's' });
    expect(event.data.initialResponse).toBe(old.revision === 1);
    expect(event.checkpoint).toBe(old.checkpoint);
    expect(old.data).toEqual({ caseId: CASE_ID, medium: 'phone', summary: 's', by: 'eng', at: 'a' });
    const other = recorded('CaseClosed', { caseId: CASE_ID, by: 'x', at: 'y' });
    expect(parse(other)).toBe(other);
  });

  it('a case stream parsed for folding gives the case the decider builds', () => {
    const submitted = recorded('CaseSubmitted', {
      caseId: CASE_ID,
      at: '2026-03-02T09:00:00.000Z',
      reference: 'CT-1',
      submittedBy: 'p',
      partnerId: 'p1',
      customerId: null,
      product: 'azure',
      requestType: 'incident',
      submitterRole: 'partner',
      azure: null,
      partnerAvailable24x7: true,
      proposedSeverity: null,
      attachments: [],
      title: 't',
      description: 'd',
    });
    const state = fold(
      evolveCase,
      null,
      parseCaseEvents([submitted, recorded('EngineerRegistered', { engineerId: 'e' }, engineerStreamId('e'))]),
    );
    expect(state).toMatchObject({ caseId: CASE_ID, reference: 'CT-1', partnerId: 'p1' });
  });
});
