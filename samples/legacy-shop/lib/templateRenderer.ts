// Renders email templates with {{placeholder}} syntax (the notification team's mini-mustache).

export type TemplateData = Record<string, string | number | boolean | null | undefined>;

/** "Hi {{firstName}}" + { firstName: 'Ada' } → "Hi Ada"; unknown placeholders become "". */
export function renderTemplate(template: string, data: TemplateData): string {
  return template.replace(/\{\{\s*([a-zA-Z0-9_.]+)\s*\}\}/g, (_, key: string) => {
    const value = data[key];
    return value === undefined || value === null ? '' : String(value);
  });
}

export function placeholdersOf(template: string): string[] {
  const names = new Set<string>();
  for (const match of template.matchAll(/\{\{\s*([a-zA-Z0-9_.]+)\s*\}\}/g)) {
    if (match[1]) names.add(match[1]);
  }
  return [...names].sort();
}

/** Templates missing a value for any placeholder are rejected by the notification service. */
export function missingPlaceholders(template: string, data: TemplateData): string[] {
  return placeholdersOf(template).filter((name) => data[name] === undefined);
}
