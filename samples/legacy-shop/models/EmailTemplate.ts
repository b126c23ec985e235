// EmailTemplate: subject and body with {{placeholders}}, keyed by what triggers the email.

export const TEMPLATE_KEYS = [
  'welcome',
  'order_confirmation',
  'order_cancelled',
  'payment_receipt',
  'refund_issued',
  'shipment_update',
] as const;
export type TemplateKey = (typeof TEMPLATE_KEYS)[number];

export interface EmailTemplateRow {
  id: number;
  key: string;
  subject: string;
  body: string;
  updated_at: Date;
}

export interface EmailTemplate {
  id: number;
  key: string;
  subject: string;
  body: string;
}

export function toEmailTemplate(row: EmailTemplateRow): EmailTemplate {
  return { id: row.id, key: row.key, subject: row.subject, body: row.body };
}

export function isTemplateKey(value: string): value is TemplateKey {
  return (TEMPLATE_KEYS as readonly string[]).includes(value);
}
