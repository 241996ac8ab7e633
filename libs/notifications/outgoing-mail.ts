/**
 * What the partner is told about, one kind per template (also the metric's `kind` label);
 * `billing-feedback` goes to the billing feedback address instead (the billing path).
 */
export type NotificationKind =
  'confirmation' | 'rejection' | 'update' | 'severity-lowered' | 'resolution' | 'billing-feedback';

/** One e-mail to send: what `caseNotification` made of an event, and what `MailSender` sends. */
export interface OutgoingMail {
  readonly kind: NotificationKind;
  /**
   * `<eventId@casetrail>`: the same for every attempt of the same event, so a redelivery (after a
   * retry, a restart or a crash between the server's acceptance and the checkpoint) is recognisable.
   */
  readonly messageId: string;
  /** The confirmation's Message-ID: the case's mails form one thread in the partner's mail reader. */
  readonly threadId: string | null;
  readonly to: { readonly name: string; readonly address: string };
  readonly subject: string;
  readonly text: string;
  /** Headers a receiving system can file the mail by. */
  readonly caseId: string;
  readonly reference: string;
  readonly eventId: string;
}

/** One event, one mail: the Message-ID is the event's id (see OutgoingMail.messageId). */
export const messageIdOf = (eventId: string): string => `<${eventId}@casetrail>`;
