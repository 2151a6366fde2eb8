// Case 11 of issue 15 with a real FIFO: a procfs read that blocks (a FIFO as a process's cmdline under
// --path.procfs) times the probe out; the blocked worker is the only one kept, no probe starts another while it is
// stuck, the stuck count is what the metric reports, and once the read returns the thread ends and walks resume.
import { execFileSync } from 'node:child_process';
import { closeSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from '@timescope/common/testing';
import { buildFakeProcfs } from '../../testutil/fakeProcfs';
import { WalkerThread } from './walkerThread';

jest.setTimeout(60_000);

const facts = { hostname: 'h1', kernel: '6.1.0', os: 'Debian', addresses: [] };

it('keeps at most one worker stuck on a blocking read, reports it, and reclaims it when the read returns', async () => {
  const tree = buildFakeProcfs({
    processes: [
      { pid: 10, name: 'ok' },
      { pid: 20, name: 'fifo' },
    ],
    net: {},
  });
  const fifo = join(tree.root, '20', 'cmdline');
  rmSync(fifo);
  execFileSync('mkfifo', [fifo]);
  const walker = new WalkerThread({ root: tree.root });
  try {
    const first = await walker.probe(facts, 1000);
    expect(first).toMatchObject({ ok: false, message: expect.stringMatching(/longer than 1000 ms/) });
    expect(walker.stuck()).toBe(1);
    // further probes fail at once instead of starting a thread each (the leak: 8 -> 35 threads in 28 minutes)
    for (let i = 0; i < 5; i++) {
      const r = await walker.probe(facts, 1000);
      expect(r).toMatchObject({ ok: false, message: expect.stringMatching(/still blocked in a read/) });
    }
    expect(walker.started).toBe(1);
    expect(walker.stuck()).toBe(1);

    // a writer opens and closes the FIFO: the blocked open returns, the thread ends
    closeSync(openSync(fifo, 'w'));
    await waitFor('stuck worker reclaimed', async () => walker.stuck() === 0);
    rmSync(fifo);
    writeFileSync(fifo, 'fifo\0');
    const after = await walker.probe(facts, 30_000);
    expect(after.ok).toBe(true);
    expect(walker.started).toBe(2);
    if (after.ok) expect(after.topology.processes.map((p) => p.name).sort()).toEqual(['fifo', 'ok']);
  } finally {
    await walker.kill();
    tree.cleanup();
  }
});
