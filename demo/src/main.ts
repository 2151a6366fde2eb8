#!/usr/bin/env node
// The README's main command (scripts/start.sh runs it after setup and build): starts the demo, prints where
// everything is, runs the scripted deploys, and stops every process it started on Ctrl-C or SIGTERM.
import { Demo } from './demo';
import { parseOptions, type DemoOptions } from './options';
import { preflight } from './preflight';
import { SCRIPTED_DEPLOYS } from './timeline';

function stamp(): string {
  return new Date().toISOString().slice(11, 19);
}

function log(msg: string): void {
  process.stdout.write(`[${stamp()}] ${msg}\n`);
}

function viewsText(s: Demo['status']): string {
  const shown = s.views.shown.join(', ');
  if (!s.views.missing) {
    return (
      `  views        ${shown}: the shop's real processes and connections, in the containers of its\n` +
      `               pods (namespace ${s.cluster?.namespace}); a scripted release is a commit and a rollout\n`
    );
  }
  return (
    `  views        ${shown}: the shop's real processes and connections\n` +
    `               ${s.views.missing.views.join(', ')}: empty, the shop runs as plain processes ` +
    `(${s.views.missing.reason})\n`
  );
}

function banner(demo: Demo, opts: DemoOptions): string {
  const s = demo.status;
  const row = (k: string, v: string | undefined, note = ''): string => (v ? `  ${k.padEnd(12)} ${v}${note}\n` : '');
  return (
    '\nTimescope demo is running\n' +
    row('preview', s.urls.preview, '   the service graph: scrub through time') +
    row('prometheus', s.urls.prometheus, '   try: timescope_edge_connections') +
    row('exporter', s.urls.exporter) +
    row('shop', s.urls.frontEnd, `   ${Object.keys(s.ports).length} services on loopback, load from 2 processes`) +
    row('gitops repo', s.gitops, `   (git log there; branch main)`) +
    row('status', `${demo.state}/status.json`) +
    row(
      'kubernetes',
      s.cluster?.apiServer,
      `   a STAND-IN for the API server (list+watch only, no controllers): the demo itself\n` +
        `               keeps its Deployments, ReplicaSets, pods and Services; kubeconfig ${s.cluster?.kubeconfig}`,
    ) +
    viewsText(s) +
    `\nScripted deploys, one every ${opts.deployInterval}s: ${SCRIPTED_DEPLOYS.map((d) => d.subject).join('; ')}.\n` +
    'Press Ctrl-C to stop everything.\n'
  );
}

async function main(): Promise<void> {
  // --help, a bad flag or a taken port: said at once, before anything starts
  const pre = await preflight(process.argv.slice(2));
  if (pre === 'help') return;
  if (pre !== 0) process.exit(pre);
  const opts: DemoOptions = parseOptions(process.argv.slice(2));
  const demo = new Demo(opts, log);
  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) {
      log(`${signal} again: exiting now`);
      process.exit(1);
    }
    stopping = true;
    log(`${signal}: stopping every process the demo started`);
    demo.stop().then(
      () => {
        log('stopped');
        process.exit(0);
      },
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  log('starting the shop, the exporter, Prometheus and the preview');
  try {
    await demo.start();
  } catch (e) {
    process.stderr.write(`demo: cannot start: ${(e as Error).message}\n`);
    await demo.stop();
    process.exit(1);
  }
  process.stdout.write(banner(demo, opts));
  demo.runTimeline((d) =>
    log(`deploy ${d.id} ${d.commit.sha.slice(0, 7)} "${d.commit.subject}": ${d.changes.join('; ') || 'no change'}`),
  );
}

void main();
