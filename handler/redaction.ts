/**
 * Strings that must never leave the process: passwords read from secrets and the IAM tokens signed in their place
 * (handler/iamAuth.ts registers each token it signs, and its signature alone, which is what authenticates). Everything that builds a message for a
 * response or a log line passes it through `redact` first. Driver messages do not normally contain the password,
 * but a message can quote a value or an option, so the connector does not rely on that.
 */
const sensitive = new Set<string>();

/** Remembers a sensitive value (only values long enough not to match ordinary words). */
export function registerSensitive(value: string): void {
  if (value.length >= 4) sensitive.add(value);
}

export function redact(text: string): string {
  let result = text;
  for (const value of sensitive) {
    if (result.includes(value)) result = result.split(value).join('***');
  }
  return result;
}
