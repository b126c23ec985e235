// Fake card payment gateway (no network): approves everything except the documented test cards.
import { createHash } from 'node:crypto';

export interface ChargeRequest {
  orderId: number;
  amountCents: number;
  currency: string;
  cardNumber: string;
}

export interface GatewayResult {
  approved: boolean;
  reference: string;
  declineReason?: string;
}

/** Test cards, as documented by the (imaginary) payment provider. */
export const DECLINED_CARD = '4000000000000002';
export const INSUFFICIENT_FUNDS_CARD = '4000000000009995';
export const DEFAULT_TEST_CARD = '4242424242424242';

function reference(prefix: string, ...parts: (string | number)[]): string {
  return `${prefix}_${createHash('sha1').update(parts.join('|')).digest('hex').slice(0, 16)}`;
}

export function cardLast4(cardNumber: string): string {
  return cardNumber.replace(/\D/g, '').slice(-4);
}

export function charge(req: ChargeRequest): GatewayResult {
  const digits = req.cardNumber.replace(/\D/g, '');
  const ref = reference('ch', req.orderId, req.amountCents, digits);
  if (digits.length < 12 || digits.length > 19) return { approved: false, reference: ref, declineReason: 'invalid card number' };
  if (digits === DECLINED_CARD) return { approved: false, reference: ref, declineReason: 'card declined' };
  if (digits === INSUFFICIENT_FUNDS_CARD) return { approved: false, reference: ref, declineReason: 'insufficient funds' };
  if (req.amountCents <= 0) return { approved: false, reference: ref, declineReason: 'amount must be positive' };
  return { approved: true, reference: ref };
}

export function refund(chargeReference: string, amountCents: number, sequence: number): GatewayResult {
  return { approved: amountCents > 0, reference: reference('re', chargeReference, amountCents, sequence) };
}
