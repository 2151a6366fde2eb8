// Label values come from outside (process names, command lines): they must be valid UTF-8 without control
// characters, and bounded. Invalid bytes are already U+FFFD after Buffer#toString('utf8').
export const MAX_LABEL_LENGTH = 256;
export const MAX_CMDLINE_LENGTH = 512;

// C0 and C1 control characters, DEL, and lone surrogates (which are not encodable as UTF-8).
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Replaces control characters and lone surrogates with U+FFFD and cuts at `max` characters (not mid-pair). */
export function labelText(s: string, max = MAX_LABEL_LENGTH): string {
  let out = s.replace(UNSAFE, '\ufffd');
  if (out.length > max) {
    const code = out.charCodeAt(max - 1);
    out = out.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
  }
  return out;
}
