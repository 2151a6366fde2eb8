// Case 10 of issue 15: a manifest of several megabytes is parsed off the main thread, so a scrape of the exporter's
// HTTP server is answered while it is parsed (ordering, never timing: the answer comes before the parse is done).
import { createExporterServer } from '../../server';
import { ManifestParser } from './manifestParser';
import { parseManifests } from './manifests';

jest.setTimeout(120_000);

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** ~7 MB of YAML (under the 8 MiB read cap): 4,000 Deployments with a long annotation each. */
function bigManifest(): string {
  const docs: string[] = [];
  for (let i = 0; i < 4000; i++) {
    docs.push(
      [
        'apiVersion: apps/v1',
        'kind: Deployment',
        `metadata:\n  name: svc-${i}\n  namespace: shop\n  annotations:\n    note: "${'x'.repeat(1600)}"`,
        `spec:\n  replicas: 2\n  template:\n    spec:\n      containers:\n        - name: app\n          image: shop/svc-${i}:1.0.${i}`,
      ].join('\n'),
    );
  }
  return docs.join('\n---\n');
}

it('answers a scrape while a big manifest is parsed in the worker, and the parse completes whole', async () => {
  const text = bigManifest();
  expect(text.length).toBeGreaterThan(6 << 20);
  const server = createExporterServer({ components: [], telemetryPath: '/metrics', logger: quiet });
  const { port } = await server.listen({ host: '127.0.0.1', port: 0 });
  const parser = new ManifestParser();
  const order: string[] = [];
  try {
    const parsing = parser.parse(text, 'default').then((p) => {
      order.push('parsed');
      return p;
    });
    const scrape = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(scrape.status).toBe(200);
    expect(await scrape.text()).toContain('process_cpu_seconds_total');
    order.push('scraped');
    const parsed = await parsing;
    expect(order).toEqual(['scraped', 'parsed']);
    expect(parser.offThread).toBe(1);
    expect(parsed.errors).toEqual([]);
    expect(parsed.workloads).toHaveLength(4000);
    expect(parsed.workloads[3999]).toMatchObject({ kind: 'Deployment', name: 'svc-3999', replicas: 2 });
  } finally {
    await parser.close();
    await server.close();
  }
});

it('parses small files inline, with the same result as the worker', async () => {
  const parser = new ManifestParser();
  const small =
    'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\nspec: {template: {spec: {containers: []}}}\n';
  expect(await parser.parse(small)).toEqual(parseManifests(small));
  expect(parser.offThread).toBe(0);
  await parser.close();
});
