import { isCaseEvent } from '../events/event-parser';
import type { JsonLogger } from '../platform/logging/json-logger';
import { domainReactor, Reactor } from '../projections/reactor';
import { caseNotification, needsPrevious, NOTIFYING_EVENT_TYPES } from './case-notification';
import type { CaseContacts } from './case-contacts';
import { MailRejectedError, MailSender } from './mail-sender';
import { notificationsTotal } from './notification-metrics';
import type { OutgoingMail } from './outgoing-mail';

export const CASE_NOTIFICATIONS = 'case-notifications';

/** Message-IDs the server accepted lately, so that a retried batch does not send those again. */
const REMEMBERED_SENT = 1000;

/**
 * Tells the case's contact by e-mail (libs/notifications/case-notification.ts says what about),
 * from a checkpointed subscription of its own, never from the HTTP request. At least once: the
 * checkpoint moves past an event only once its mail was accepted by the SMTP server, so a failing
 * server makes the batch come again, with the subscription's back-off (up to 5 s between tries),
 * until it is sent; a crash after the server accepted a mail and before the checkpoint sends it
 * once more, with the same Message-ID (the event's). Only a permanent refusal of that one message
 * (a 5xx to its recipient or content) is given up on: counted, logged, and the next one goes.
 */
export class CaseNotifier {
  private readonly sent = new Set<string>();

  constructor(
    private readonly sender: MailSender,
    private readonly contacts: CaseContacts,
    private readonly logger: JsonLogger,
  ) {}

  reactor(): Reactor {
    return domainReactor({
      name: CASE_NOTIFICATIONS,
      // Turned on with cases long resolved in the store: their partners hear nothing about the past.
      startsAtHead: true,
      react: async (events) => {
        for (const event of events) {
          if (!isCaseEvent(event) || !NOTIFYING_EVENT_TYPES.has(event.type)) continue;
          const contact = await this.contacts.of(event);
          const previous = contact && needsPrevious(event) ? await this.contacts.before(event) : null;
          const mail = contact && caseNotification(event, contact, previous);
          if (mail && !this.sent.has(mail.messageId)) await this.deliver(mail);
        }
      },
    });
  }

  private async deliver(mail: OutgoingMail): Promise<void> {
    const fields = { domain: 'notification', kind: mail.kind, caseId: mail.caseId, messageId: mail.messageId };
    try {
      await this.sender.send(mail);
    } catch (error) {
      if (error instanceof MailRejectedError) {
        notificationsTotal.inc({ kind: mail.kind, outcome: 'rejected' });
        this.logger.event(
          'error',
          'notification refused by the SMTP server; not retried',
          { ...fields, responseCode: error.responseCode },
          'Notifications',
        );
        return;
      }
      notificationsTotal.inc({ kind: mail.kind, outcome: 'failed' });
      const reason = describe(error);
      this.logger.event('warn', 'notification not sent; retrying', { ...fields, error: reason }, 'Notifications');
      // Our own message: the server's answer may quote the recipient's address, never logged.
      throw new Error(`notification ${mail.messageId} not sent: ${reason}`, { cause: error });
    }
    notificationsTotal.inc({ kind: mail.kind, outcome: 'sent' });
    this.remember(mail.messageId);
    this.logger.event('info', 'notification sent', fields, 'Notifications');
  }

  private remember(messageId: string): void {
    if (this.sent.size >= REMEMBERED_SENT) this.sent.delete(this.sent.values().next().value as string);
    this.sent.add(messageId);
  }
}

/** What went wrong, without the server's text (which may quote the recipient): a code, or a local error's message. */
function describe(error: unknown): string {
  const { code, responseCode, message } = error as { code?: string; responseCode?: number; message?: string };
  if (typeof responseCode === 'number') return `${code ?? 'SMTP'} ${responseCode}`;
  return code ? `${code}: ${message ?? ''}` : (message ?? String(error));
}
