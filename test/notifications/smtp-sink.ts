import type { AddressInfo } from 'node:net';
import { ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export type SinkMode = 'accept' | 'refuse-4xx' | 'refuse-5xx';

/** A real SMTP server in this process: the mail server the API talks to in tests. */
export class SmtpSink {
  readonly mails: ParsedMail[] = [];
  mode: SinkMode = 'accept';
  refused = 0;
  /** Milliseconds to wait before answering DATA (to make concurrent workers overlap). */
  delayMs = 0;
  /** Messages whose DATA has arrived and which are not yet answered (a send in flight). */
  answering = 0;
  private constructor(
    private readonly server: SMTPServer,
    readonly port: number,
  ) {}

  /** `port`: listen there again after close() (a mail server coming back); 0 picks a free one. */
  static async start(port = 0): Promise<SmtpSink> {
    const ref: { sink?: SmtpSink } = {};
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, _session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const s = ref.sink!;
          s.answering += 1;
          setTimeout(() => {
            s.answering -= 1;
            if (s.mode !== 'accept') {
              s.refused += 1;
              const err = Object.assign(
                new Error(s.mode === 'refuse-4xx' ? 'Try again later' : 'Service unavailable'),
                {
                  responseCode: s.mode === 'refuse-4xx' ? 451 : 554,
                },
              );
              callback(err);
              return;
            }
            simpleParser(Buffer.concat(chunks))
              .then((mail) => {
                s.mails.push(mail);
                callback();
              })
              .catch((e) => callback(e));
          }, s.delayMs);
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
    const sink = new SmtpSink(server, (server.server.address() as AddressInfo).port);
    ref.sink = sink;
    return sink;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  to(address: string): ParsedMail[] {
    return this.mails.filter((m) => JSON.stringify(m.to).includes(address));
  }

  messageIds(): string[] {
    return this.mails.map((m) => m.messageId ?? '');
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** The iCalendar part of a parsed mail (nodemailer sends it as text/calendar and as an invite.ics attachment). */
export function inviteOf(mail: ParsedMail): string {
  const part = mail.attachments.find((a) => /text\/calendar|application\/ics/.test(a.contentType));
  if (!part) throw new Error('no calendar part in the mail');
  return part.content.toString('utf8');
}
