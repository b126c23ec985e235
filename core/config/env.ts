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

/**
 * YAML forbids `{`, `}`, `,`, `[` and `]` inside a plain value of a flow mapping, so the
 * natural `admin: { port: 9901, token: ${FICUS_ADMIN_TOKEN} }` is a syntax error as written.
 * Before parsing, those characters inside each `${…}` reference (and `$${…}` escape) are
 * swapped for private-use stand-ins of the same length — positions in messages stay right —
 * and `unmaskEnvReferences` puts them back in every parsed scalar before substitution. Text
 * that already holds a stand-in is left alone.
 */
const MASKS: Readonly<Record<string, string>> = { '{': '\uE000', '}': '\uE001', ',': '\uE002', '[': '\uE003', ']': '\uE004', '#': '\uE005' };
const UNMASKS: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(MASKS).map(([k, v]) => [v, k]));
const REFERENCE = /\$?\$\{[^}\n]*\}/g;
const STAND_IN = /[\uE000-\uE005]/g;
const HAS_STAND_IN = /[\uE000-\uE005]/;

/** The text with its references masked, or null when it holds a stand-in already (then it is parsed as written). */
export function maskEnvReferences(text: string): string | null {
  if (HAS_STAND_IN.test(text)) return null;
  return text.replace(REFERENCE, (ref) => ref.replace(/[{},[\]#]/g, (c) => MASKS[c]!));
}

export function unmaskEnvReferences(text: string): string {
  return text.replace(STAND_IN, (c) => UNMASKS[c]!);
}

/** True when the text mentions `${` at all (cheap pre-check). */
export function hasEnvReference(text: string): boolean {
  return text.includes('${');
}
