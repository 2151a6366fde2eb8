import { readFileSync } from 'node:fs';
import { tcpCounters } from './tcpCounters';

const SNMP = [
  'Ip: Forwarding DefaultTTL InReceives',
  'Ip: 1 64 99',
  'Tcp: RtoAlgorithm RtoMin RtoMax MaxConn ActiveOpens PassiveOpens AttemptFails EstabResets CurrEstab InSegs',
  'Tcp: 1 200 120000 -1 17286 16972 241 26 10012 2195451',
  'Udp: InDatagrams NoPorts',
  'Udp: 5 6',
  '',
].join('\n');

describe('tcpCounters', () => {
  it('reads ActiveOpens, PassiveOpens and CurrEstab by their names', () => {
    expect(tcpCounters(SNMP)).toBe('17286 16972 10012');
  });

  it('is undefined without a Tcp line or with a value that is not a count', () => {
    expect(tcpCounters('Ip: Forwarding\nIp: 1\n')).toBeUndefined();
    expect(tcpCounters(SNMP.replace('17286', 'x'))).toBeUndefined();
    expect(tcpCounters(SNMP.replace(' CurrEstab', ' Other'))).toBeUndefined();
  });

  it("reads this host's own table, and a new connection moves the counters", async () => {
    const before = tcpCounters(readFileSync('/proc/self/net/snmp', 'latin1'));
    expect(before).toMatch(/^\d+ \d+ \d+$/);
    const { createServer, connect } = await import('node:net');
    const server = createServer((s) => s.end());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const c = connect((server.address() as { port: number }).port, '127.0.0.1');
    await new Promise((r) => c.once('connect', r));
    expect(tcpCounters(readFileSync('/proc/self/net/snmp', 'latin1'))).not.toBe(before);
    c.destroy();
    await new Promise((r) => server.close(r));
  });
});
