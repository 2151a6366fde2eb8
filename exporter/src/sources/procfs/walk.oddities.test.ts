// The walk on a recorded tree (testdata/proc-oddities) holding what procfs parsing must not get wrong: folders that
// look like pid 11124 but are not canonical decimals, socket inodes past 2^53 (2^53 and 2^53 + 1 are one number in
// floating point), and a comm and a command line that are not UTF-8.
import { join } from 'node:path';
import { buildTopology } from './model/buildTopology';
import { parseInode } from './procNetTcp';
import { parsePid } from './procStat';
import { ProcWalker } from './walk';

const root = join(__dirname, '../../../testdata/proc-oddities');
const facts = { hostname: 'h1', kernel: '6.1.0', os: 'Debian', addresses: ['192.0.2.2'] };

describe('ProcWalker on procfs oddities', () => {
  const snapshot = new ProcWalker({ root }).walk();

  it('takes only canonical decimal folders as pids (011124 and 11124.0 are not pid 11124)', () => {
    expect(snapshot.processes.map((p) => p.pid).sort()).toEqual([4242, 4343, 4444, 4545]);
    expect(snapshot.processes.map((p) => p.name)).not.toContain('zero-padded');
    expect([parsePid('11124'), parsePid('011124'), parsePid('11124.0'), parsePid('1e3'), parsePid('0')]).toEqual([
      11124,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('matches socket inodes past 2^53 exactly: the connection joins client to server, nothing else', () => {
    const server = snapshot.processes.find((p) => p.name === 'server');
    const client = snapshot.processes.find((p) => p.name === 'client');
    expect(server?.inodes).toEqual([1001, '9007199254740993']);
    expect(client?.inodes).toEqual(['9007199254740992']);
    const topology = buildTopology(snapshot, facts);
    expect(topology.edges).toEqual([
      { source: 'process:h1/client', target: 'process:h1/server[8080]', port: 8080, connections: 1 },
    ]);
    expect([parseInode('9007199254740991'), parseInode('0012'), parseInode('1e3'), parseInode('-1')]).toEqual([
      9007199254740991,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('counts a comm and a command line that are not UTF-8 as malformed, a genuine U+FFFD not', () => {
    const bad = snapshot.processes.find((p) => p.pid === 4444);
    expect(bad?.name).toBe('bad\ufffd(');
    expect(bad?.cmdline).toBe('run \ufffd');
    expect(snapshot.processes.find((p) => p.pid === 4545)?.name).toBe('fffd\ufffdok');
    expect(snapshot.errors).toEqual({ vanished: 0, permission: 0, malformed: 2, io: 0 });
    expect(snapshot.problems.join('\n')).toMatch(/4444\/stat: name with control characters or invalid UTF-8/);
    expect(snapshot.problems.join('\n')).toMatch(/4444\/cmdline: invalid UTF-8/);
  });
});
