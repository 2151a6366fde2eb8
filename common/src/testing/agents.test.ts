import { createServer, type Server } from 'node:http';
import { agentConfig, startPrometheusAgent, startVmagent, type RunningAgent } from './agents';
import { freePort, waitFor } from './ports';
import { queryInstant } from './prometheus';
import { startVictoriaMetrics, type RunningVictoriaMetrics } from './victoriaMetrics';

jest.setTimeout(60_000);

async function target(name: string): Promise<{ addr: string; server: Server }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(`demo_up{svc="${name}"} 1\n`);
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { addr: `127.0.0.1:${port}`, server };
}

describe('agents', () => {
  const stores: RunningVictoriaMetrics[] = [];
  const agents: RunningAgent[] = [];
  const servers: Server[] = [];
  afterAll(async () => {
    for (const a of agents) await a.stop();
    for (const s of servers) s.close();
    for (const s of stores) await s.stop();
  });

  it('writes a hashmod shard relabelling into the scrape config', () => {
    const c = agentConfig({
      targets: ['a:1'],
      remoteWriteUrl: 'http://vm/api/v1/write',
      shard: { index: 1, count: 2 },
    });
    expect(c).toContain('action: hashmod');
    expect(c).toContain("regex: '1'");
    expect(c).toContain('url: "http://vm/api/v1/write"');
  });

  async function expectEveryTargetOnce(start: typeof startVmagent): Promise<void> {
    const store = await startVictoriaMetrics();
    stores.push(store);
    const ts = await Promise.all(['a', 'b', 'c', 'd', 'e'].map(target));
    servers.push(...ts.map((t) => t.server));
    const targets = ts.map((t) => t.addr);
    for (const index of [0, 1]) {
      agents.push(await start({ targets, remoteWriteUrl: store.remoteWriteUrl, shard: { index, count: 2 } }));
    }
    let last = '';
    const got = await waitFor('all five targets in the store', async () => {
      await store.flush();
      const r = await queryInstant(store, 'count by (svc) (demo_up)');
      last = JSON.stringify(r);
      return r.length === 5 ? r : undefined;
    }).catch((e) => {
      throw new Error(`${String(e)}; last: ${last}`);
    });
    expect(got.map((s) => `${s.metric.svc}=${s.value[1]}`).sort()).toEqual(['a=1', 'b=1', 'c=1', 'd=1', 'e=1']);
  }

  it('two Prometheus agents, sharded by hashmod, together write every target once', async () => {
    await expectEveryTargetOnce(startPrometheusAgent);
  });

  it('two vmagents, sharded by their cluster flags, together write every target once', async () => {
    await expectEveryTargetOnce(startVmagent);
  });
});
