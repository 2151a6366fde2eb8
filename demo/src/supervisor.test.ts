import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GitOpsRepo } from './gitops';
import { initialShop } from './shop';
import { PortPlan, Supervisor } from './supervisor';
import { SCRIPTED_DEPLOYS, runDeploy } from './timeline';

jest.setTimeout(60_000);

function comm(pid: number): string {
  return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Remote ports of the established TCP connections of process `pid` (from its network namespace's table). */
function establishedRemotePorts(pid: number): number[] {
  const ports: number[] = [];
  for (const line of readFileSync(`/proc/${pid}/net/tcp`, 'utf8').split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f[3] === '01') ports.push(parseInt(f[2].split(':')[1], 16));
  }
  return ports;
}

describe('the demo shop', () => {
  const dir = mkdtempSync(join(tmpdir(), 'timescope-demo-'));
  const supervisor = new Supervisor(new PortPlan(0));
  afterAll(async () => {
    await supervisor.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs as named processes, applies the scripted deploys from git commits, and stops every process', async () => {
    const { repo, commit } = await GitOpsRepo.create(join(dir, 'gitops'), initialShop());
    let shop = await repo.shopAt(commit.sha);
    expect(shop.map((w) => w.name)).toContain('queue-master');
    await supervisor.apply(shop);

    const [fe] = supervisor.pids('front-end');
    expect(comm(fe)).toBe('front-end');
    expect(comm(supervisor.pids('queue-master')[0])).toBe('queue-master');
    expect(supervisor.pids('loadgen')).toHaveLength(2);
    const port = await supervisor.ports.portOf('front-end');
    const res = await fetch(`http://127.0.0.1:${port}/`);
    expect(res.status).toBe(200);

    const [version, dependency, scale] = SCRIPTED_DEPLOYS;
    const oldCatalogue = supervisor.pids('catalogue')[0];
    let r = await runDeploy(version, repo, supervisor, shop);
    shop = r.shop;
    expect(r.applied.changes).toEqual(['catalogue: restarted (1.0.0 -> 1.1.0)']);
    expect(supervisor.pids('catalogue')[0]).not.toBe(oldCatalogue);
    expect((await repo.head()).subject).toBe(version.subject);

    r = await runDeploy(dependency, repo, supervisor, shop);
    shop = r.shop;
    expect(r.applied.changes).toEqual(['fraud-check: started 1.0.0 x1', 'orders: restarted (1.0.0 -> 1.1.0)']);
    const fraudPort = await supervisor.ports.portOf('fraud-check');
    const orders = supervisor.pids('orders')[0];
    await fetch(`http://127.0.0.1:${port}/`);
    expect(establishedRemotePorts(orders)).toContain(fraudPort);

    r = await runDeploy(scale, repo, supervisor, shop);
    expect(r.applied.changes).toEqual(['loadgen: scaled 2 -> 24']);
    const all = r.shop.flatMap((w) => supervisor.pids(w.name));
    expect(all.length).toBe(14 + 24);
    expect(all.map(comm).filter((c) => c === 'loadgen')).toHaveLength(24);

    await supervisor.stop();
    expect(all.filter(alive)).toEqual([]);
  });
});
