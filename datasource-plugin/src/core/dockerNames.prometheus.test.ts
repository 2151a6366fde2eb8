// Containers in the container view take their Docker names from timescope_container_docker_info (the Docker
// source's family, joined on the node id), against a real Prometheus; containers Docker does not know keep theirs.
import { DockerMetric, Metric } from '@timescope/common';
import { startPrometheus, type RunningPrometheus } from '@timescope/common/testing';
import { dockerInfoQuery } from './queryBuilder';
import { fetchPromClient } from './promClient';
import { buildTopology } from './topology';

jest.setTimeout(120_000);

const END = 1_764_000_000;
const WEB = 'container:h1/4f1c2a9b7d3e';
const DB = 'container:h1/9e8d7c6b5a4f';
const MARKUP = '<img src=x onerror=alert(1)> "web"';

function series(name: string, labels: Record<string, string>, fromSec: number): string {
  const l = Object.entries(labels)
    .map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`)
    .join(',');
  const out: string[] = [];
  for (let t = fromSec; t <= END; t += 15) out.push(`${name}{${l}} 1 ${t}`);
  return out.join('\n');
}

function container(node: string, id: string): Record<string, string> {
  return { node, kind: 'container', name: id, host: 'h1', namespace: '', parent: 'host:h1', container_id: id };
}

let prom: RunningPrometheus | undefined;

beforeAll(async () => {
  const openMetrics = [
    `# TYPE ${Metric.ContainerInfo} gauge`,
    series(Metric.ContainerInfo, { ...container(WEB, '4f1c2a9b7d3e'), runtime: 'docker', image: '' }, END - 600),
    series(Metric.ContainerInfo, { ...container(DB, '9e8d7c6b5a4f'), runtime: 'containerd', image: '' }, END - 600),
    `# TYPE ${DockerMetric.ContainerDockerInfo} gauge`,
    series(
      DockerMetric.ContainerDockerInfo,
      {
        node: WEB,
        host: 'h1',
        container_id: '4f1c2a9b7d3e',
        name: MARKUP,
        image: 'shop/web:1.2',
        compose_project: 'shop',
        compose_service: 'web',
      },
      END - 600,
    ),
    '# EOF',
    '',
  ].join('\n');
  prom = await startPrometheus({ openMetrics });
});
afterAll(async () => prom?.stop());

it('titles each container with its Docker name and adds image and Compose service; others keep their id', async () => {
  const client = fetchPromClient({ url: prom!.url });
  const t = await buildTopology(client, {
    view: 'container',
    mode: 'instant',
    filters: {},
    groupBy: 'none',
    edgeSource: 'timescope',
    fromMs: (END - 300) * 1000,
    toMs: END * 1000,
    stepMs: 15_000,
    scrapeIntervalMs: 15_000,
  });
  const byId = Object.fromEntries(t.nodes.map((n) => [n.id, n]));
  expect(Object.keys(byId).sort()).toEqual([WEB, DB].sort());
  expect(byId[WEB].title).toBe(MARKUP);
  expect(byId[WEB].labels).toMatchObject({ image: 'shop/web:1.2', compose_project: 'shop', compose_service: 'web' });
  expect(byId[DB].title).toBe('9e8d7c6b5a4f');
  expect(byId[DB].labels.compose_service).toBeUndefined();
});

it('asks for the window it is given, in whole milliseconds', () => {
  expect(dockerInfoQuery(300_029.6)).toBe(
    'max by (node, name, image, compose_project, compose_service) ' +
      '(last_over_time(timescope_container_docker_info[300030ms]))',
  );
});
