/**
 * `${NAME}` substitution in config values, so secrets come from the environment instead of
 * the file. `${NAME:-fallback}` gives a default; `$${` writes a literal `${`. Substitution is
 * done on parsed scalar values, so an environment value can never change the file's structure.
 */
export type Env = Readonly<Record<string, string | undefined>>;

const PATTERN = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

export interface EnvMissing {
  readonly name: string;
}

/** Replaces every reference in `text`; returns the names that were unset and had no default. */
export function substituteEnv(text: string, env: Env): { value: string; missing: EnvMissing[] } {
  const missing: EnvMissing[] = [];
  const value = text.replace(PATTERN, (whole, name: string | undefined, fallback: string | undefined) => {
    if (whole === '$${') return '${';
    const key = name as string;
    const found = env[key];
    if (found !== undefined && found !== '') return found;
    if (fallback !== undefined) return fallback;
    missing.push({ name: key });
    return '';
  });
  return { value, missing };
}

/** True when the text mentions `${` at all (cheap pre-check). */
export function hasEnvReference(text: string): boolean {
  return text.includes('${');
}
