import { waitFor } from '@timescope/common/testing';
import { startFleet, type Fleet } from './fleet';

jest.setTimeout(60_000);

describe('the simulated fleet', () => {
  let fleet: Fleet | undefined;
  afterAll(async () => fleet?.stop());

  it('each exporter reports its own host and processes, and follows its tree from phase to phase', async () => {
    fleet = await startFleet(
      ['fa', 'fb'],
      [
        [
          { service: { name: 'web', port: 8080 }, clients: ['cli'] },
          { clients: [], remote: { name: 'job', address: '10.99.0.7', port: 80 } },
        ],
        [{ service: { name: 'web', port: 8080 }, clients: [] }, { clients: [] }],
      ],
    );
    const [a, b] = fleet.hosts;
    if (!a || !b) throw new Error('two hosts');
    const text = await waitFor('the first walk', async () => {
      const t = await a.exporter.metrics();
      return t.includes('timescope_edge_connections{') ? t : undefined;
    });
    expect(text).toMatch(/timescope_host_info\{[^}]*host="fa"/);
    expect(text).toMatch(
      /timescope_edge_connections\{[^}]*source="process:fa\/cli"[^}]*target="process:fa\/web\[8080\]"/,
    );
    const bt = await waitFor('b walks', async () => {
      const t = await b.exporter.metrics();
      return t.includes('timescope_remote_connections{') ? t : undefined;
    });
    expect(bt).toMatch(/timescope_remote_connections\{[^}]*address="10.99.0.7"/);
    fleet.enter(1);
    await waitFor('the client gone', async () => !(await a.exporter.metrics()).includes('process:fa/cli'));
  });
});
