// The search box: free text, key:value and /regex/. Returns which nodes match (the rest are dimmed).
import type { GraphNode } from './graph';

export type Matcher = (n: GraphNode) => boolean;

export interface ParsedSearch {
  matcher?: Matcher;
  error?: string;
}

function nodeValue(n: GraphNode, key: string): string | undefined {
  switch (key) {
    case 'id':
      return n.id;
    case 'name':
    case 'title':
      return n.title;
    case 'kind':
      return n.kind;
    case 'parent':
      return n.parent;
    case 'status':
      return n.status;
    default:
      return n.details[key];
  }
}

function haystack(n: GraphNode): string {
  return `${n.id}\n${n.title}\n${n.subtitle}\n${Object.values(n.details).join('\n')}`.toLowerCase();
}

/** `''` matches everything (no matcher); `/re/flags` is a regex; `k:v` (several, space separated) compare fields. */
export function parseSearch(text: string): ParsedSearch {
  const q = text.trim();
  if (!q) return {};
  const re = /^\/(.+)\/([imsu]*)$/.exec(q);
  if (re) {
    try {
      const rx = new RegExp(re[1], re[2]);
      return { matcher: (n) => rx.test(n.id) || rx.test(n.title) };
    } catch (e) {
      return { error: `invalid regex: ${(e as Error).message}` };
    }
  }
  const terms = q.split(/\s+/);
  const tests: Matcher[] = terms.map((term) => {
    const m = /^([\w.-]+):(.+)$/.exec(term);
    if (m && !term.includes('/')) {
      const key = m[1];
      const want = m[2].toLowerCase();
      const whole = term.toLowerCase();
      // a key the node does not have (e.g. `host:node-1` typed as an id) falls back to free text
      return (n) => {
        const v = nodeValue(n, key);
        return v === undefined ? haystack(n).includes(whole) : v.toLowerCase() === want;
      };
    }
    const want = term.toLowerCase();
    return (n) => haystack(n).includes(want);
  });
  return { matcher: (n) => tests.every((t) => t(n)) };
}

export function matchNodes(nodes: GraphNode[], matcher: Matcher | undefined): Uint8Array | undefined {
  if (!matcher) return undefined;
  const out = new Uint8Array(nodes.length);
  nodes.forEach((n, i) => (out[i] = matcher(n) ? 1 : 0));
  return out;
}
