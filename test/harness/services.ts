/**
 * Shared rules for the real services integration tests use. A missing service is a test
 * failure with a sentence saying how to start it; with CI=true the sentence says so too.
 */
export class MissingServiceError extends Error {
  constructor(service: string, how: string, cause?: unknown) {
    const ci = process.env.CI === 'true' ? ' (CI=true: a missing service fails the run)' : '';
    super(`${service} is not available${ci}: ${how}`, { cause });
    this.name = 'MissingServiceError';
  }
}

/** A name unique to this process and call, safe for databases, topics and groups. */
export function uniqueName(prefix: string): string {
  const rand = Math.random().toString(36).slice(2, 8);
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${rand}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
}
