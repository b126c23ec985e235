// Money helpers: every amount is stored as integer cents; major units only at the edges.

export type Cents = number;

/** 1250 → 12.5 */
export function centsToMajor(cents: Cents): number {
  return Math.round(cents) / 100;
}

/** 12.5 → 1250 (rounded to the nearest cent). */
export function majorToCents(amount: number): Cents {
  return Math.round(amount * 100);
}

/** 1250, 'USD' → "$12.50" (only USD/EUR/GBP symbols; others get the code). */
export function formatMoney(cents: Cents, currency = 'USD'): string {
  const symbols: Record<string, string> = { USD: '$', EUR: '€', GBP: '£' };
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  const text = `${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
  const symbol = symbols[currency];
  return symbol ? `${sign}${symbol}${text}` : `${sign}${text} ${currency}`;
}

export function sumCents(values: Cents[]): Cents {
  return values.reduce((acc, v) => acc + v, 0);
}

/** Tax on an amount at a rate such as 0.08, rounded half-up to a cent. */
export function taxFor(amount: Cents, rate: number): Cents {
  return Math.round(amount * rate);
}

export function percentOf(amount: Cents, percent: number): Cents {
  return Math.round((amount * percent) / 100);
}

export function isValidCents(value: unknown): value is Cents {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 100_000_000;
}
