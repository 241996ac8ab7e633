import { Inject, Module, OnApplicationShutdown, Optional } from '@nestjs/common';
import type { EventStore } from '../event-store/event-store';
import { APP_CONFIG, AppConfig } from '../platform/config/app-config';
import { JsonLogger } from '../platform/logging/json-logger';
import { EVENT_STORE } from '../platform/tokens';
import { ConsumerRunners } from '../projections/consumer-runners';
import { CaseContacts } from './case-contacts';
import { CaseNotifier } from './case-notifications.reactor';
import { MailSender } from './mail-sender';

/**
 * The consumer side of partner e-mail (the worker role, or role `all`'s background thread), when
 * SMTP_URL is set: the case-notifications reactor, in a consumer group of its own so that an SMTP
 * outage holds up the e-mail only, never the read models or the SLA timers.
 */
@Module({
  providers: [
    {
      provide: MailSender,
      inject: [APP_CONFIG, EVENT_STORE, JsonLogger, ConsumerRunners],
      useFactory: (config: AppConfig, store: EventStore, logger: JsonLogger, runners: ConsumerRunners) => {
        if (!config.smtpUrl) return null;
        const sender = new MailSender(config.smtpUrl, config.mailFrom);
        runners.add([new CaseNotifier(sender, new CaseContacts(store), logger).reactor()]);
        return sender;
      },
    },
  ],
})
export class NotificationsModule implements OnApplicationShutdown {
  constructor(@Optional() @Inject(MailSender) private readonly sender: MailSender | null) {}

  /** After ConsumerRunners stopped the reactor (beforeApplicationShutdown): no send is under way. */
  onApplicationShutdown(): void {
    this.sender?.close();
  }
}
