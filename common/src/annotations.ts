// Deploy annotations as Grafana carries them: Grafana keeps only time, timeEnd, title, text and tags of an
// annotation, so the fields a reader needs (which workload, which revision, the link) travel as `key:value` tags.
// The datasource, the exporter's Grafana push and the panel all write and read them here.

/** The keys of deploy tags, in the order `deployTags` writes them. */
export const DEPLOY_TAG_KEYS = ['namespace', 'workload', 'kind', 'revision', 'source', 'status', 'url'] as const;
export type DeployTagKey = (typeof DEPLOY_TAG_KEYS)[number];
export type DeployTagValues = Partial<Record<DeployTagKey, string>>;

// Grafana may hand tags over joined with commas, so a value never holds one: `%` and `,` are percent-encoded.
const encode = (v: string): string => v.replace(/%/g, '%25').replace(/,/g, '%2C');
const decode = (v: string): string => v.replace(/%2C/gi, ',').replace(/%25/g, '%');

/** The `key:value` tags of a deploy, one per non-empty value, in the order of DEPLOY_TAG_KEYS. */
export function deployTags(values: DeployTagValues): string[] {
  const out: string[] = [];
  for (const key of DEPLOY_TAG_KEYS) {
    const v = values[key];
    if (v) out.push(`${key}:${encode(v)}`);
  }
  return out;
}

function isDeployTagKey(k: string): k is DeployTagKey {
  return (DEPLOY_TAG_KEYS as readonly string[]).includes(k);
}

/**
 * The deploy fields of an annotation's tags (an array, or the comma-joined string some Grafana paths give); other
 * tags (`deploy`, `timescope`, a user's own) are ignored, and the first tag of a key wins.
 */
export function parseDeployTags(tags: readonly string[] | string | undefined): DeployTagValues {
  const list = typeof tags === 'string' ? tags.split(',') : (tags ?? []);
  const out: DeployTagValues = {};
  for (const tag of list) {
    const i = tag.indexOf(':');
    const key = i < 0 ? '' : tag.slice(0, i);
    if (isDeployTagKey(key) && out[key] === undefined) out[key] = decode(tag.slice(i + 1));
  }
  return out;
}
