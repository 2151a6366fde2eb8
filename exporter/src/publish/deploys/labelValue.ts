// Deploy labels come from commits and webhooks: control characters become U+FFFD, values are cut (docs/metrics.md).
export const MAX_LABEL_LENGTH = 256;
export const SUBJECT_LABEL_LENGTH = 120;

// C0/C1 control characters and lone surrogates (not encodable as UTF-8).
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export function deployLabel(s: string, max = MAX_LABEL_LENGTH): string {
  let out = s.replace(UNSAFE, '\ufffd');
  if (out.length > max) {
    const code = out.charCodeAt(max - 1);
    out = out.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
  }
  return out;
}
