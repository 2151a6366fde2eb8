// The netlink reader against the text tables, on real sockets of this process (IPv4, IPv6, IPv4-mapped): the same
// sockets with the same fields, and a walker that cannot use netlink reads the text tables with the same result.
import { createServer, connect, type Server, type Socket } from 'node:net';
import { parseNetTcpBytes, TCP_ESTABLISHED, TCP_LISTEN, type TcpSocket } from './procNetTcp';
import { readProcBytes } from './procRead';
import { FAMILY_V4, FAMILY_V6, loadSockDiag, parseDiagRecords, SOCKDIAG_ADDON } from './sockDiag';
import { ProcWalker } from './walk';

const { diag, error } = loadSockDiag();
const STATES = (1 << TCP_ESTABLISHED) | (1 << TCP_LISTEN);
const key = (s: TcpSocket): string =>
  `${s.family} ${s.localAddress}:${s.localPort} ${s.remoteAddress}:${s.remotePort} ${s.state} ${s.inode}`;

/** This process's sockets only (the host has others that come and go between two reads). */
function ours(list: TcpSocket[], ports: Set<number>): string[] {
  return list
    .filter((s) => ports.has(s.localPort) || ports.has(s.remotePort))
    .map(key)
    .sort();
}

describe('netlink sock_diag reader', () => {
  const servers: Server[] = [];
  const clients: Socket[] = [];
  const ports = new Set<number>();
  beforeAll(async () => {
    for (const host of ['127.0.0.1', '::1', '::']) {
      const server = createServer(() => undefined);
      servers.push(server);
      await new Promise<void>((r) => server.listen(0, host, r));
      const port = (server.address() as { port: number }).port;
      ports.add(port);
      // '::' (dual stack) is reached over IPv4 too: an IPv6 socket with IPv4-mapped addresses
      for (const to of host === '::' ? ['127.0.0.1', '::1'] : [host]) {
        const c = connect({ host: to, port });
        clients.push(c);
        await new Promise((r) => c.once('connect', r));
      }
    }
  });
  afterAll(async () => {
    clients.forEach((c) => c.destroy());
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  });

  it('is built by scripts/setup.sh (exporter/native)', () => {
    expect({ addon: SOCKDIAG_ADDON, error }).toEqual({ addon: SOCKDIAG_ADDON, error: undefined });
  });

  (diag ? it : it.skip)('lists the same sockets as /proc/<pid>/net/tcp and tcp6, field by field', () => {
    const net = `/proc/${process.pid}/net`;
    const keep = (s: number): boolean => s === TCP_ESTABLISHED || s === TCP_LISTEN;
    const text = [
      ...parseNetTcpBytes(readProcBytes(`${net}/tcp`), 'ipv4', keep).sockets,
      ...parseNetTcpBytes(readProcBytes(`${net}/tcp6`), 'ipv6', keep).sockets,
    ];
    const viaNetlink = parseDiagRecords(diag!.dump(`/proc/${process.pid}/ns/net`, STATES, FAMILY_V4 | FAMILY_V6));
    const expected = ours(text, ports);
    // 3 listeners, 4 connections seen from both ends
    expect(expected).toHaveLength(3 + 4 * 2);
    expect(ours(viaNetlink, ports)).toEqual(expected);
    expect(ours(viaNetlink, ports).filter((s) => s.startsWith('ipv6 127.0.0.1:'))).toHaveLength(1);
  });

  (diag ? it : it.skip)('dumps only the families asked for, and says why it cannot enter a namespace', () => {
    const v4 = parseDiagRecords(diag!.dump('', STATES, FAMILY_V4));
    expect(v4.every((s) => s.family === 'ipv4')).toBe(true);
    expect(ours(v4, ports).length).toBeGreaterThan(0);
    expect(() => diag!.dump('/nonexistent/ns/net', STATES, FAMILY_V4)).toThrow(
      expect.objectContaining({ code: 'ENOENT', step: 'open' }),
    );
    // a file that is not a namespace cannot be entered
    expect(() => diag!.dump('/proc/self/stat', STATES, FAMILY_V4)).toThrow(expect.objectContaining({ step: 'open' }));
  });

  it('a walk through netlink and one through the text tables find the same sockets', () => {
    const viaText = new ProcWalker({ root: '/proc', socketReader: 'procfs' });
    const auto = new ProcWalker({ root: '/proc' });
    const a = auto.walk();
    const b = viaText.walk();
    expect(viaText.socketReads).toMatchObject({ netlink: 0, fallback: 'socketReader: procfs' });
    expect(auto.socketReads.netlink).toBe(diag ? Object.keys(a.sockets).length : 0);
    const mine = Object.keys(a.sockets).find((ns) => a.sockets[ns].some((s) => ports.has(s.localPort)));
    expect(mine).toBeDefined();
    expect(ours(a.sockets[mine!], ports)).toEqual(ours(b.sockets[mine!], ports));
  });
});
