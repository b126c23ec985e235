// Fake SMTP mailer: records messages in memory; addresses at bounce.example always fail.

export interface MailMessage {
  to: string;
  subject: string;
  body: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<{ messageId: string }>;
  readonly sent: readonly MailMessage[];
}

export class MailDeliveryError extends Error {
  constructor(readonly to: string) {
    super(`mailbox ${to} rejected the message`);
  }
}

export function createMailer(): Mailer {
  const sent: MailMessage[] = [];
  return {
    sent,
    async send(message) {
      if (message.to.toLowerCase().endsWith('@bounce.example')) throw new MailDeliveryError(message.to);
      sent.push(message);
      return { messageId: `<${sent.length}.${Date.now()}@legacy-shop.example>` };
    },
  };
}
