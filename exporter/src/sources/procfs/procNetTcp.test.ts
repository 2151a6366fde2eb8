import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatIpv6, hexToIpv6, parseNetTcp, parseNetTcpBytes, TCP_ESTABLISHED, TCP_LISTEN } from './procNetTcp';

const fixture = (name: string): string => readFileSync(join(__dirname, '../../../testdata/proc', name), 'latin1');

describe('parseNetTcp', () => {
  it('reads IPv4 sockets in every state', () => {
    const { sockets, malformed } = parseNetTcp(fixture('tcp'), 'ipv4');
    expect(malformed).toBe(0);
    expect(sockets.map((s) => s.state)).toEqual([10, 10, 1, 1, 1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11]);
    expect(sockets[0]).toEqual({
      family: 'ipv4',
      localAddress: '127.0.0.1',
      localPort: 8080,
      remoteAddress: '0.0.0.0',
      remotePort: 0,
      state: TCP_LISTEN,
      inode: 1001,
    });
    expect(sockets[4]).toMatchObject({ localAddress: '192.0.2.2', remoteAddress: '10.1.2.3', remotePort: 5432 });
    expect(sockets.find((s) => s.state === 6)?.inode).toBe(0); // TIME_WAIT belongs to no process
  });

  it('keeps only the states asked for', () => {
    const keep = (s: number): boolean => s === TCP_LISTEN || s === TCP_ESTABLISHED;
    expect(parseNetTcp(fixture('tcp'), 'ipv4', keep).sockets.map((s) => s.inode)).toEqual([
      1001, 1002, 2001, 2002, 2003, 2004,
    ]);
  });

  it('reads IPv6, loopback and IPv4-mapped addresses (mapped ones as plain IPv4)', () => {
    const { sockets, malformed } = parseNetTcp(fixture('tcp6'), 'ipv6');
    expect(malformed).toBe(0);
    expect(sockets.map((s) => `${s.localAddress} ${s.localPort} ${s.remoteAddress} ${s.remotePort}`)).toEqual([
      ':: 9090 :: 0',
      '::1 7000 :: 0',
      '::1 41000 ::1 7000',
      '::1 7000 ::1 41000',
      '127.0.0.1 9090 127.0.0.1 42000',
      '2001:db8::2 43000 2001:db8:0:1::10 443',
      'fe80::1 9090 fe80::abcd:1 51000',
      '::1 41001 ::1 7000',
    ]);
    expect(sockets.every((s) => s.family === 'ipv6')).toBe(true);
  });

  it('counts truncated and garbage lines and keeps the good ones', () => {
    const { sockets, malformed } = parseNetTcp(fixture('tcp-malformed'), 'ipv4');
    expect(sockets.map((s) => s.inode)).toEqual([1001, 2001]);
    expect(malformed).toBe(5);
  });

  it('reads lines with other whitespace (tabs, CRLF, no leading spaces) as the kernel layout', () => {
    const text = fixture('tcp');
    const odd = text
      .split('\n')
      .map((l, i) => (i % 3 === 0 ? l.replace(/ +/g, '\t') : i % 3 === 1 ? `${l.trimStart()}\r` : ` ${l}  `))
      .join('\n');
    expect(parseNetTcp(odd, 'ipv4')).toEqual(parseNetTcp(text, 'ipv4'));
  });

  it('reads a file recorded on a real host without complaint', () => {
    const { sockets, malformed } = parseNetTcp(fixture('tcp-recorded-host'), 'ipv4');
    expect(malformed).toBe(0);
    expect(sockets.length).toBeGreaterThan(0);
  });

  it('reads the bytes as read (no text) the same way, an address with a byte above ASCII malformed', () => {
    const bytes = readFileSync(join(__dirname, '../../../testdata/proc', 'tcp-malformed'));
    expect(parseNetTcpBytes(bytes, 'ipv4')).toEqual(parseNetTcp(fixture('tcp-malformed'), 'ipv4'));
    const good = fixture('tcp').split('\n');
    const high = Buffer.from(`${good[0]}\n${good[1].replace('0100007F', '0100\u00e97F')}\n${good[2]}\n`, 'latin1');
    const r = parseNetTcpBytes(high, 'ipv4');
    expect(r.sockets.map((s) => s.inode)).toEqual([1002]);
    expect(r.malformed).toBe(1);
  });

  it('formats IPv6 like inet_ntop', () => {
    const bytes = (hex: string): number[] => hex.match(/../g)!.map((b) => parseInt(b, 16));
    expect(formatIpv6(bytes('20010db8000000000000000000000001'))).toBe('2001:db8::1');
    expect(formatIpv6(bytes('20010db8000100000000000100000000'))).toBe('2001:db8:1::1:0:0');
    expect(formatIpv6(bytes('00000000000000000000000000000000'))).toBe('::');
    expect(formatIpv6(bytes('20010db8000100010001000100010001'))).toBe('2001:db8:1:1:1:1:1:1');
    expect(formatIpv6(bytes('00000000000000000000ffff0a000001'))).toBe('::ffff:10.0.0.1');
    expect(hexToIpv6('0000000000000000FFFF00000100007F')).toBe('127.0.0.1');
  });
});
