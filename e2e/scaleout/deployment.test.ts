// The long-term layout's deployment files, checked statically (no Docker engine or cluster runs here), as
// provisioning/stack.test.ts checks the base stack: the Compose profile and the Kubernetes overlay run the flags the
// tests run (victoriaMetricsFlags, vmalertFlags), the same scrape config and rule files, the VictoriaMetrics version
// tested, and the real binaries accept their configuration (vmagent and vmalert dry runs, kubectl kustomize).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { victoriaMetricsFlags, vmalertFlags } from '@timescope/common/testing';

const ROOT = join(__dirname, '..', '..');
const OVERLAY = 'deploy/kubernetes/overlays/longterm';
const text = (p: string): string => readFileSync(join(ROOT, p), 'utf8');
const VERSION = 'v1.79.5';

interface Service {
  image?: string;
  profiles?: string[];
  command?: string[];
  volumes?: string[];
  ports?: string[];
}
interface Compose {
  include?: string[];
  services: Record<string, Service>;
}
interface Datasource {
  uid: string;
  type: string;
  url: string;
  jsonData?: Record<string, string>;
}
interface K8sObject {
  kind: string;
  metadata: { name: string };
  spec?: {
    replicas?: number;
    template?: {
      spec: {
        containers: { image: string; args?: string[] }[];
        volumes?: { name: string; configMap?: { name: string } }[];
      };
    };
  };
}

const base = parse(text('docker-compose.yml')) as Compose;
const longterm = parse(text('docker-compose.longterm.yml')) as Compose;
const scrapeInterval = (
  parse(text('provisioning/prometheus/prometheus.yml')) as { global: { scrape_interval: string } }
).global.scrape_interval;

describe('docker compose --profile longterm', () => {
  it('is included by docker-compose.yml, and only its profile starts it', () => {
    expect(base.include).toContain('docker-compose.longterm.yml');
    expect(Object.keys(longterm.services).sort()).toEqual([
      'alertmanager',
      'grafana-longterm',
      'victoriametrics',
      'vmagent',
      'vmalert',
    ]);
    for (const s of Object.values(longterm.services)) expect(s.profiles).toEqual(['longterm']);
    for (const s of Object.values(base.services)) expect(s.profiles).toBeUndefined();
    for (const name of Object.keys(longterm.services)) expect(base.services[name]).toBeUndefined();
  });

  it('runs the VictoriaMetrics version tested here, with the tested flags', () => {
    const { victoriametrics, vmagent, vmalert } = longterm.services;
    for (const s of [victoriametrics, vmagent, vmalert]) expect(s?.image).toMatch(new RegExp(`:${VERSION}$`));
    expect(victoriametrics?.command).toEqual(
      expect.arrayContaining(victoriaMetricsFlags({ dedupInterval: scrapeInterval })),
    );
    expect(vmalert?.command).toEqual(expect.arrayContaining(vmalertFlags({ evalInterval: scrapeInterval })));
  });

  it('scrapes with prometheus.yml and evaluates its rule files, the presence rule rendered left-open', () => {
    const { vmagent, vmalert } = longterm.services;
    expect(vmagent?.volumes).toContain('./provisioning/prometheus:/etc/prometheus:ro');
    expect(vmagent?.command).toContain('-promscrape.config=/etc/prometheus/prometheus.yml');
    expect(vmalert?.volumes).toContain('./provisioning/prometheus:/etc/prometheus:ro');
    expect(vmalert?.volumes).toContain('./provisioning/victoriametrics:/etc/victoriametrics:ro');
    expect(vmalert?.command?.filter((a) => a.startsWith('-rule='))).toEqual([
      '-rule=/etc/prometheus/rules/edges.yml',
      '-rule=/etc/prometheus/rules/alerts.yml',
      '-rule=/etc/victoriametrics/rules/presence.yml',
    ]);
    for (const s of [vmagent, vmalert]) {
      expect(s?.command?.some((a) => a.includes('http://victoriametrics:8428'))).toBe(true);
    }
  });

  it('mounts only paths that exist (or that scripts/build.sh builds)', () => {
    const built = ['./datasource-plugin/dist', './panel-plugin/dist'];
    for (const s of Object.values(longterm.services)) {
      for (const v of s.volumes ?? []) {
        const src = v.split(':')[0] ?? '';
        if (!src.startsWith('.') || built.includes(src)) continue;
        expect([src, existsSync(join(ROOT, src))]).toEqual([src, true]);
      }
    }
  });

  it('gives Grafana the base datasources, pointed at VictoriaMetrics', () => {
    const ds = (p: string): Datasource[] => (parse(text(p)) as { datasources: Datasource[] }).datasources;
    const prom = ds('provisioning/grafana/datasources/timescope.yml');
    const vm = ds('provisioning/grafana-longterm/datasources/timescope.yml');
    expect(vm.map((d) => [d.uid, d.type])).toEqual(prom.map((d) => [d.uid, d.type]));
    for (const d of vm) expect(d.url).toBe('http://victoriametrics:8428');
    expect(vm.find((d) => d.uid === 'timescope')?.jsonData?.scrapeInterval).toBe(scrapeInterval);
    expect(longterm.services.victoriametrics?.ports).toContain('8428:8428');
  });
});

describe('the real binaries accept the configuration', () => {
  const has = (bin: string): boolean => {
    try {
      execFileSync('which', [bin]);
      return true;
    } catch {
      return false;
    }
  };

  it('vmagent reads prometheus.yml and the overlay’s scrape config', () => {
    if (!has('vmagent')) throw new Error('vmagent missing: apt-get install -y victoria-metrics (scripts/setup.sh)');
    for (const f of ['provisioning/prometheus/prometheus.yml', `${OVERLAY}/scrape.yml`]) {
      execFileSync(
        'vmagent',
        [`-promscrape.config=${join(ROOT, f)}`, '-promscrape.config.dryRun', '-promscrape.config.strictParse=false'],
        { stdio: 'pipe' },
      );
    }
  });

  it('vmalert validates every rule file, templates included', () => {
    if (!has('vmalert')) throw new Error('vmalert missing: apt-get install -y victoria-metrics (scripts/setup.sh)');
    for (const dir of ['provisioning/prometheus/rules', 'provisioning/victoriametrics/rules']) {
      execFileSync('vmalert', ['-dryRun', `-rule=${join(ROOT, dir)}/*.yml`], { stdio: 'pipe' });
    }
  });
});

describe('the Kubernetes overlay', () => {
  const objects = (): K8sObject[] => {
    const out = execFileSync('kubectl', ['kustomize', join(ROOT, OVERLAY)], { encoding: 'utf8' });
    return parseAllDocuments(out).map((d) => d.toJSON() as K8sObject);
  };
  const container = (o: K8sObject | undefined): { image: string; args?: string[] } | undefined =>
    o?.spec?.template?.spec.containers[0];

  it('builds, with VictoriaMetrics, two sharded vmagents and vmalert on the tested flags', () => {
    const all = objects();
    const get = (kind: string, name: string): K8sObject | undefined =>
      all.find((o) => o.kind === kind && o.metadata.name === name);
    const vm = container(get('StatefulSet', 'victoriametrics'));
    expect(vm?.image).toBe(`victoriametrics/victoria-metrics:${VERSION}`);
    expect(vm?.args).toEqual(expect.arrayContaining(victoriaMetricsFlags({ dedupInterval: scrapeInterval })));
    const agents = get('StatefulSet', 'vmagent');
    const agentArgs = container(agents)?.args ?? [];
    expect(agentArgs).toContain(`-promscrape.cluster.membersCount=${agents?.spec?.replicas}`);
    expect(agentArgs).toContain('-promscrape.cluster.memberNum=$(POD_NAME)');
    const alert = get('Deployment', 'vmalert');
    expect(container(alert)?.args).toEqual(expect.arrayContaining(vmalertFlags({ evalInterval: scrapeInterval })));
    expect(alert?.spec?.template?.spec.volumes?.map((v) => v.configMap?.name)).toContain('timescope-rules');
  });

  it('says how to load the rule files into the ConfigMap vmalert mounts', () => {
    const k = text(`${OVERLAY}/kustomization.yaml`);
    expect(k).toContain('kubectl create configmap timescope-rules -n timescope');
    for (const f of [
      'provisioning/prometheus/rules/edges.yml',
      'provisioning/prometheus/rules/alerts.yml',
      'provisioning/victoriametrics/rules/presence.yml',
    ]) {
      expect(k).toContain(`--from-file=${f}`);
      expect(existsSync(join(ROOT, f))).toBe(true);
    }
  });

  it('scrapes with the job name the alert rules read, at the provisioned interval', () => {
    const scrape = parse(text(`${OVERLAY}/scrape.yml`)) as {
      global: { scrape_interval: string };
      scrape_configs: { job_name: string }[];
    };
    expect(scrape.global.scrape_interval).toBe(scrapeInterval);
    expect(scrape.scrape_configs.map((c) => c.job_name)).toEqual(['timescope']);
    expect(text('provisioning/prometheus/rules/alerts.yml')).toContain('up{job="timescope"}');
  });
});
