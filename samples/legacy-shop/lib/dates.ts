// Date helpers; rows come back from pg/PGlite as Date objects and leave the API as ISO strings.

export function toIso(value: Date | string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  return (value instanceof Date ? value : new Date(value)).toISOString();
}

export function addHours(date: Date, hours: number): Date {
  return new Date(date.getTime() + hours * 3_600_000);
}

export function addDays(date: Date, days: number): Date {
  return addHours(date, days * 24);
}

/** Parses ?from=2024-01-01 style query values; undefined when absent or unparseable. */
export function parseDateParam(raw: unknown): Date | undefined {
  if (typeof raw !== 'string' || raw === '') return undefined;
  const d = new Date(raw);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

export function yearOf(date: Date): number {
  return date.getUTCFullYear();
}
