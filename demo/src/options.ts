// The demo's command line: `--name=value` flags, each also settable by the environment variable
// TIMESCOPE_DEMO_<NAME> (upper case, dots and dashes as underscores); the command line wins.

export interface DemoOptions {
  /** first port of the shop's services (one per service, in order); 0 picks free ports */
  basePort: number;
  exporterPort: number;
  prometheusPort: number;
  previewPort: number;
  /** seconds between scripted deploys (the first comes one interval after start) */
  deployInterval: number;
  scrapeInterval: number;
  /** where Prometheus' data, the GitOps repository and the deploy journal live during the run */
  stateDir: string;
  /** keep stateDir at exit */
  keep: boolean;
  exporter: boolean;
  prometheus: boolean;
  preview: boolean;
  /** run the shop as pods of a cluster served by the Kubernetes API stand-in (needs root for container cgroups) */
  cluster: boolean;
  help: boolean;
}

interface Spec {
  flag: string;
  key: keyof DemoOptions;
  help: string;
}

const SPECS: Spec[] = [
  { flag: 'base-port', key: 'basePort', help: "first port of the shop's services; 0 picks free ports" },
  { flag: 'exporter.port', key: 'exporterPort', help: "the exporter's port (0: a free port)" },
  { flag: 'prometheus.port', key: 'prometheusPort', help: "Prometheus' port (0: a free port)" },
  { flag: 'preview.port', key: 'previewPort', help: "the preview page's port (0: a free port)" },
  { flag: 'deploy-interval', key: 'deployInterval', help: 'seconds between scripted deploys' },
  { flag: 'scrape-interval', key: 'scrapeInterval', help: "seconds between Prometheus' scrapes of the exporter" },
  { flag: 'state-dir', key: 'stateDir', help: 'folder for Prometheus data, the GitOps repository and deploy events' },
  { flag: 'keep', key: 'keep', help: 'keep the state folder at exit' },
  { flag: 'short', key: 'deployInterval', help: 'a short timeline for tests: deploys every 6s, scrapes every 1s' },
  { flag: 'exporter', key: 'exporter', help: 'run the exporter (--exporter=false when it runs elsewhere)' },
  { flag: 'prometheus', key: 'prometheus', help: 'run Prometheus' },
  { flag: 'preview', key: 'preview', help: 'serve the preview page (the panel in the plugin host)' },
  {
    flag: 'cluster',
    key: 'cluster',
    help: 'run the shop as pods (a Kubernetes API stand-in, container cgroups: needs root; false: plain processes)',
  },
  { flag: 'help', key: 'help', help: 'print this help' },
];

export const DEFAULTS: DemoOptions = {
  basePort: 0,
  exporterPort: 9469,
  prometheusPort: 9090,
  previewPort: 3000,
  deployInterval: 60,
  scrapeInterval: 5,
  stateDir: '.tmp/demo',
  keep: false,
  exporter: true,
  prometheus: true,
  preview: true,
  cluster: true,
  help: false,
};

export function envName(flag: string): string {
  return `TIMESCOPE_DEMO_${flag.replace(/[.-]/g, '_').toUpperCase()}`;
}

export function usage(): string {
  const lines = ['usage: npm start -- [flags]   (or: node demo/dist/main.js [flags])', ''];
  for (const s of SPECS) {
    const def = s.flag === 'short' ? '' : ` (default ${String(DEFAULTS[s.key])})`;
    lines.push(`  --${s.flag.padEnd(18)} ${s.help}${def}; env ${envName(s.flag)}`);
  }
  return lines.join('\n');
}

function assign(opts: DemoOptions, spec: Spec, raw: string): void {
  if (spec.flag === 'short') {
    if (raw !== 'false') Object.assign(opts, { deployInterval: 6, scrapeInterval: 1 });
    return;
  }
  const current = DEFAULTS[spec.key];
  if (typeof current === 'boolean') {
    if (raw !== 'true' && raw !== 'false') throw new Error(`--${spec.flag}: expected true or false, got "${raw}"`);
    (opts as unknown as Record<string, boolean>)[spec.key] = raw === 'true';
  } else if (typeof current === 'number') {
    const n = Number(raw);
    const isPort = spec.flag.endsWith('port');
    if (!Number.isFinite(n) || n < 0 || (isPort && (!Number.isInteger(n) || n > 65535)) || (!isPort && n <= 0)) {
      throw new Error(`--${spec.flag}: bad value "${raw}"`);
    }
    (opts as unknown as Record<string, number>)[spec.key] = n;
  } else {
    if (raw === '') throw new Error(`--${spec.flag}: empty value`);
    (opts as unknown as Record<string, string>)[spec.key] = raw;
  }
}

export function parseOptions(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): DemoOptions {
  const opts: DemoOptions = { ...DEFAULTS };
  for (const s of SPECS) {
    const v = env[envName(s.flag)];
    if (v !== undefined) assign(opts, s, v);
  }
  for (const arg of argv) {
    const m = /^--([a-z.-]+)(?:=(.*))?$/.exec(arg);
    const spec = m && SPECS.find((s) => s.flag === m[1]);
    if (!m || !spec) throw new Error(`unknown argument "${arg}"\n${usage()}`);
    assign(opts, spec, m[2] ?? 'true');
  }
  return opts;
}
