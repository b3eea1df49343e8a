import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTransport, Transporter } from 'nodemailer';
import type { IcsMethod } from './ics';

/** Injection token of the MailTransport (tests may swap it). */
export const MAIL_TRANSPORT = Symbol('MAIL_TRANSPORT');

export interface OutgoingMail {
  outboxId: string;
  /** `<…@…>`, stable per outbox row: a message delivered twice carries the same one. */
  messageId: string;
  from: string;
  to: string;
  subject: string;
  text: string;
  html?: string | null;
  ics?: { method: IcsMethod; content: string } | null;
}

export interface MailTransport {
  /** Resolves once the message is accepted (by the SMTP server, or on disk); rejects otherwise. */
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

function mailOptions(mail: OutgoingMail) {
  return {
    from: mail.from,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    ...(mail.html ? { html: mail.html } : {}),
    messageId: mail.messageId,
    headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' },
    // nodemailer adds it both as a text/calendar; method=… alternative and as an invite.ics attachment.
    ...(mail.ics ? { icalEvent: { method: mail.ics.method, filename: 'invite.ics', content: mail.ics.content } } : {}),
  };
}

/** SMTP_URL: a small connection pool with timeouts well inside the worker's claim lease. */
export class SmtpMailTransport implements MailTransport {
  private readonly transporter: Transporter;

  constructor(url: string) {
    this.transporter = createTransport({
      url,
      pool: true,
      maxConnections: 5,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
      logger: false,
      debug: false,
    } as never);
  }

  async send(mail: OutgoingMail): Promise<void> {
    await this.transporter.sendMail(mailOptions(mail));
  }

  close(): void {
    this.transporter.close();
  }
}

/** No SMTP_URL: each message becomes DATA_DIR/outbox/<outbox id>.eml (a resend overwrites the same file). */
export class EmlFileMailTransport implements MailTransport {
  private readonly transporter: Transporter;

  constructor(readonly dir: string) {
    this.transporter = createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  }

  async send(mail: OutgoingMail): Promise<void> {
    const info = (await this.transporter.sendMail(mailOptions(mail))) as { message: Buffer };
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const file = join(this.dir, `${mail.outboxId}.eml`);
    writeFileSync(`${file}.tmp`, info.message, { mode: 0o600 });
    renameSync(`${file}.tmp`, file);
  }

  close(): void {
    this.transporter.close();
  }
}

export function createMailTransport(config: { smtpUrl?: string; dataDir: string }): MailTransport {
  return config.smtpUrl
    ? new SmtpMailTransport(config.smtpUrl)
    : new EmlFileMailTransport(join(config.dataDir, 'outbox'));
}
