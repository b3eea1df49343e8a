import { Logger } from '@nestjs/common';
import { NotifyClient } from 'notifications-node-client';
import type { MessageKind } from './templates';

/** Injection token of the SmsTransport (tests may swap it). */
export const SMS_TRANSPORT = Symbol('SMS_TRANSPORT');

export interface OutgoingSms {
  outboxId: string;
  kind: MessageKind;
  /** E.164 */
  to: string;
  text: string;
  personalisation: Record<string, string>;
}

export interface SmsTransport {
  /** Resolves once the provider accepted the message; rejects otherwise. */
  send(sms: OutgoingSms): Promise<void>;
}

/**
 * GOV.UK Notify: the words live in Notify templates (NOTIFY_TEMPLATE_<KIND>),
 * filled with `personalisation`; the outbox id is the Notify `reference`, so a
 * message sent twice is recognisable there.
 */
export class NotifySmsTransport implements SmsTransport {
  private readonly client: { sendSms(templateId: string, phone: string, options: object): Promise<unknown> };

  constructor(
    apiKey: string,
    private readonly templates: Record<string, string>,
  ) {
    this.client = new NotifyClient(apiKey);
  }

  async send(sms: OutgoingSms): Promise<void> {
    const templateId = this.templates[sms.kind];
    if (!templateId)
      throw new Error(`no Notify template for ${sms.kind}: set NOTIFY_TEMPLATE_${sms.kind.toUpperCase()}`);
    await this.client.sendSms(templateId, sms.to, { personalisation: sms.personalisation, reference: sms.outboxId });
  }
}

/** No NOTIFY_API_KEY: the SMS is recorded as sent to the log, which names neither the number nor the words. */
export class LogSmsTransport implements SmsTransport {
  private readonly log = new Logger('Sms');

  send(sms: OutgoingSms): Promise<void> {
    this.log.log(`sms ${sms.outboxId} (${sms.kind}) recorded, not sent: NOTIFY_API_KEY is not set`);
    return Promise.resolve();
  }
}

export function createSmsTransport(config: {
  notifyApiKey?: string;
  notifyTemplates: Record<string, string>;
}): SmsTransport {
  return config.notifyApiKey
    ? new NotifySmsTransport(config.notifyApiKey, config.notifyTemplates)
    : new LogSmsTransport();
}
