// The time zone's name shown after the instant: the browser's own zone by name, "UTC" however it is spelled.
export function zoneName(timeZone: string | undefined): string {
  if (timeZone === 'browser' || !timeZone) return Intl.DateTimeFormat().resolvedOptions().timeZone;
  return timeZone.toLowerCase() === 'utc' ? 'UTC' : timeZone;
}
