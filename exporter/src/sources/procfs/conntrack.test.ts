import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDestinationTranslated, parseConntrack } from './conntrack';

const fixture = (name: string): string => readFileSync(join(__dirname, '../../../testdata/proc', name), 'latin1');
const flat = (e: { original: { src: string; sport: number; dst: string; dport: number } }): string =>
  `${e.original.src}:${e.original.sport} -> ${e.original.dst}:${e.original.dport}`;

describe('parseConntrack', () => {
  it('reads established TCP entries with both tuples, IPv4 and IPv6 (full groups, IPv4-mapped as IPv4)', () => {
    const { entries, malformed } = parseConntrack(fixture('nf_conntrack'));
    expect(malformed).toBe(0);
    expect(entries.map(flat)).toEqual([
      '10.244.1.4:40000 -> 10.96.0.20:80',
      '10.244.1.4:40002 -> 10.96.0.20:80',
      '10.244.1.4:40004 -> 10.96.0.20:80',
      '10.244.1.4:41000 -> 10.244.2.5:8081',
      '192.168.50.1:52000 -> 10.96.0.1:443',
      '203.0.113.7:61000 -> 192.168.50.1:30080',
      'fd00:10:244:1::4:40100 -> fd00:10:96::20:80',
      '10.0.0.5:40200 -> 10.96.0.20:80',
    ]);
    expect(entries[0]).toEqual({
      family: 'ipv4',
      protocol: 'tcp',
      state: 'ESTABLISHED',
      original: { src: '10.244.1.4', dst: '10.96.0.20', sport: 40000, dport: 80 },
      reply: { src: '10.244.2.5', dst: '10.244.1.4', sport: 8081, dport: 40000 },
    });
    // accounting fields (packets=, bytes=) between the tuples do not shift them
    expect(entries[4].reply).toEqual({ src: '192.168.50.10', dst: '192.168.50.1', sport: 6443, dport: 52000 });
    expect(entries[6].reply).toMatchObject({ src: 'fd00:10:244:2::5', sport: 8081 });
    expect(entries[7].reply).toMatchObject({ src: '10.244.2.5', sport: 8081 });
  });

  it('keeps other states and protocols only when asked, stateless lines included', () => {
    const all = parseConntrack(fixture('nf_conntrack'), () => true);
    expect(all.malformed).toBe(0);
    expect(all.entries.map((e) => `${e.protocol} ${e.state || '-'}`)).toEqual([
      'tcp ESTABLISHED',
      'tcp ESTABLISHED',
      'tcp ESTABLISHED',
      'tcp ESTABLISHED',
      'tcp ESTABLISHED',
      'tcp TIME_WAIT',
      'tcp SYN_SENT',
      'udp -',
      'tcp ESTABLISHED',
      'tcp ESTABLISHED',
      'tcp ESTABLISHED',
    ]);
    // icmp has no ports: skipped, not malformed
    const udp = all.entries.find((e) => e.protocol === 'udp');
    expect(udp?.reply).toEqual({ src: '10.244.1.2', dst: '10.244.1.4', sport: 53, dport: 53124 });
    const unreplied = all.entries.find((e) => e.state === 'SYN_SENT');
    expect(unreplied?.reply.src).toBe('10.244.2.5');
  });

  it('tells translated destinations (DNAT) from plain flows', () => {
    const { entries } = parseConntrack(fixture('nf_conntrack'));
    expect(entries.map(isDestinationTranslated)).toEqual([true, true, true, false, true, true, true, true]);
  });

  it('counts truncated, garbled and out-of-range lines as malformed and keeps the good ones', () => {
    const { entries, malformed } = parseConntrack(fixture('nf_conntrack-malformed'));
    expect(entries.map((e) => e.original.sport)).toEqual([40000, 40006, 40007]);
    expect(malformed).toBe(10);
  });

  it('reads an empty table (conntrack loaded, nothing tracked) as no entries', () => {
    expect(parseConntrack('')).toEqual({ entries: [], malformed: 0 });
    expect(parseConntrack('\n\n')).toEqual({ entries: [], malformed: 0 });
  });
});
