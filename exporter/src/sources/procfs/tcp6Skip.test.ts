import { createServer, connect, type Server, type Socket } from 'node:net';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mayHoldTcp6 } from './walk';
import { readProcBytes } from './procRead';
import { parseNetTcpBytes, TCP_ESTABLISHED } from './procNetTcp';

const fixtures = join(__dirname, '../../../testdata/proc/sockstat6');

/** a folder holding `sockstat6` copied from a fixture (or none) */
function netDir(fixture?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'timescope-sockstat6-'));
  if (fixture) copyFileSync(join(fixtures, fixture), join(dir, 'sockstat6'));
  return dir;
}

describe('mayHoldTcp6 (tcp6 is skipped only when sockstat6 says no IPv6 TCP socket is in use)', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  const check = (fixture?: string): boolean => {
    const d = netDir(fixture);
    dirs.push(d);
    return mayHoldTcp6(d);
  };

  it('skips when none is in use, reads when some are', () => {
    expect(check('none')).toBe(false);
    expect(check('some')).toBe(true);
  });

  it('reads tcp6 when sockstat6 is missing or cannot be understood', () => {
    expect(check()).toBe(true);
    expect(check('truncated')).toBe(true);
  });
});

describe('tcp6 on the real /proc', () => {
  let server: Server;
  let client: Socket;
  afterAll(async () => {
    client?.destroy();
    await new Promise((r) => server?.close(r));
  });

  it('is read while an IPv6 connection over loopback is open, and lists it', async () => {
    server = createServer(() => undefined);
    await new Promise<void>((r) => server.listen(0, '::1', r));
    const port = (server.address() as { port: number }).port;
    client = connect({ host: '::1', port });
    await new Promise((r) => client.once('connect', r));
    const net = `/proc/${process.pid}/net`;
    expect(mayHoldTcp6(net)).toBe(true);
    const { sockets, malformed } = parseNetTcpBytes(readProcBytes(`${net}/tcp6`), 'ipv6');
    expect(malformed).toBe(0);
    expect(sockets).toContainEqual(
      expect.objectContaining({
        localAddress: '::1',
        localPort: client.localPort,
        remotePort: port,
        state: TCP_ESTABLISHED,
      }),
    );
  });
});
