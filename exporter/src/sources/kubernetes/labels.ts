// Label values from the API are untrusted text (docs/metrics.md): cleaned and bounded by the shared labelText.
import { labelText } from '../../runtime/labelText';

export function text(value: string | undefined | null): string {
  return value ? labelText(value) : '';
}

/** A Kubernetes timestamp as seconds since the epoch: lists give Date objects, watch events give RFC 3339 strings. */
export function seconds(t: Date | string | undefined | null): number | undefined {
  if (!t) return undefined;
  const ms = t instanceof Date ? t.getTime() : Date.parse(t);
  return Number.isFinite(ms) ? ms / 1000 : undefined;
}
