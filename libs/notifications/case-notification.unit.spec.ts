import type { RecordedEvent } from '../event-store/event-store';
import type { CaseEvent } from '../domain/case/case.events';
import {
  caseClosed,
  caseResolved,
  openedSubmission,
  rejectedCase,
  routedCase,
  severityAssigned,
  severityLowered,
  updateSent,
} from '../domain/case/testing/case.fixtures';
import { parseCaseEvents, storedData } from '../events/event-parser';
import type { StoredCaseEvent } from '../events/stored-event';
import type { CaseContact } from './case-contact';
import { caseNotification } from './case-notification';

/** The events as a consumer receives them: stored (with ids), then parsed by libs/events. */
function stored(events: CaseEvent[]): StoredCaseEvent[] {
  const recorded: RecordedEvent[] = events.map((event, revision) => ({
    id: `00000000-0000-7000-8000-${String(revision).padStart(12, '0')}`,
    streamId: 'case-1',
    revision,
    position: String(revision + 1),
    checkpoint: String(revision + 1),
    type: event.type,
    data: storedData(event),
    metadata: { actor: 'support:alice', occurredAt: event.data.at, correlationId: 'c', causationId: null },
  }));
  return parseCaseEvents(recorded);
}

function contactOf(submitted: StoredCaseEvent): CaseContact {
  if (submitted.type !== 'CaseSubmitted') throw new Error('not a submission');
  const { caseId, reference, contact, summary } = submitted.data;
  return { caseId, reference, contact, summary, submissionEventId: submitted.id };
}

/** Each event's mail (kind and subject), or null. */
function mails(events: CaseEvent[]) {
  const all = stored(events);
  const contact = contactOf(all[0]);
  return all.map((event, i) => {
    const mail = caseNotification(event, contact, i > 0 ? all[i - 1] : null);
    return mail && { type: event.type, kind: mail.kind, subject: mail.subject, mail };
  });
}

const partnerAvailabilityChanged = (available24x7: boolean): CaseEvent => ({
  type: 'PartnerAvailabilityChanged',
  data: { caseId: 'case-1', available24x7, by: 'partner:p-contoso', at: '2026-11-23T09:50:00.000Z' },
});

describe('caseNotification: which event tells the partner what', () => {
  it('confirms a submission with the reference, to the contact, with the Message-ID of the event and no thread', () => {
    const [confirmation, ...rest] = mails(openedSubmission({ proposedSeverity: 'A', partnerAvailable24x7: false }));
    expect(confirmation?.mail).toMatchObject({
      kind: 'confirmation',
      messageId: '<00000000-0000-7000-8000-000000000000@casetrail>',
      threadId: null,
      to: { address: expect.stringContaining('@') },
    });
    expect(confirmation?.mail.subject).toMatch(new RegExp(`^\\[${confirmation?.mail.reference}\\] We received`));
    expect(confirmation?.mail.text).toContain(`Its reference is ${confirmation?.mail.reference}`);
    // The proposal recorded at submission is no news; its lowering (not available 24x7) is.
    expect(rest.map((m) => m?.kind ?? null)).toEqual([null, 'severity-lowered', null]);
    expect(rest[1]?.subject).toMatch(/Severity lowered from A to B$/);
  });

  it('writes about updates, a lower severity and the resolution, in the thread of the confirmation; not about a raise or a closure', () => {
    const opened = openedSubmission();
    const result = mails([
      ...opened,
      updateSent('initialResponse-1', { summary: 'collecting traces' }),
      severityAssigned('C', { previousSeverity: 'B', reason: 'workaround in place' }),
      severityAssigned('A', { previousSeverity: 'C', reason: 'worse again' }),
      caseResolved([]),
      caseClosed(),
    ]).slice(opened.length);
    expect(result.map((m) => m?.kind ?? null)).toEqual(['update', 'severity-lowered', null, 'resolution', null]);
    expect(result[0]?.mail.text).toContain('collecting traces');
    expect(result[1]?.mail.text).toContain('Reason: workaround in place');
    expect(result[3]?.mail.text).toContain('fixed the connector');
    for (const m of [result[0], result[1], result[3]])
      expect(m?.mail.threadId).toBe('<00000000-0000-7000-8000-000000000000@casetrail>');
  });

  it('a lowering to B that follows staff setting A on a B or C case (partner not available 24x7) is no lowering', () => {
    const opened = openedSubmission({ partnerAvailable24x7: false });
    const result = mails([
      ...opened,
      severityAssigned('C', { previousSeverity: 'B' }),
      severityAssigned('A', { previousSeverity: 'C' }),
      severityLowered(),
      severityAssigned('A', { previousSeverity: 'B' }),
      severityLowered(),
      partnerAvailabilityChanged(false),
      severityLowered(),
    ]).slice(opened.length);
    // C to B is a raise, B to B no change; a case at A whose partner is no longer available 24x7 is lowered.
    expect(result.map((m) => m?.kind ?? null)).toEqual([
      'severity-lowered',
      null,
      null,
      null,
      null,
      null,
      'severity-lowered',
    ]);
  });

  it('tells a rejected submission why', () => {
    const [, rejection] = mails(rejectedCase());
    expect(rejection?.kind).toBe('rejection');
    expect(rejection?.mail.text).toContain('role user may not open office365 cases');
  });
  it("takes a billing case's escalation to the feedback address it records, not to the contact; the routing itself is no mail", () => {
    const escalated: CaseEvent = {
      type: 'EscalatedToBillingFeedback',
      data: {
        caseId: 'case-1',
        address: 'billing-feedback@vendor.example',
        reason: 'the invoice is still wrong',
        by: 'portal-contoso',
        at: '2026-11-23T10:00:00.000Z',
      },
    };
    const [confirmation, routed, feedback] = mails([...routedCase(), escalated]);
    expect(confirmation?.kind).toBe('confirmation');
    expect(routed).toBeNull();
    expect(feedback?.mail).toMatchObject({
      kind: 'billing-feedback',
      to: { name: 'Billing feedback', address: 'billing-feedback@vendor.example' },
      messageId: '<00000000-0000-7000-8000-000000000002@casetrail>',
      threadId: '<00000000-0000-7000-8000-000000000000@casetrail>',
    });
    expect(feedback?.subject).toBe(`[${feedback?.mail.reference}] Billing case escalated to billing feedback`);
    expect(feedback?.mail.text).toContain('Reason: the invoice is still wrong');
    expect(feedback?.mail.text).toContain('by portal-contoso');
    expect(feedback?.mail.text).toContain('<jo@contoso.example>');
  });
});
