import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MalformedError, parseBootTime, parseStat, PF_KTHREAD } from './procStat';

const fixture = (name: string): string => readFileSync(join(__dirname, '../../../testdata/proc', name), 'utf8');

describe('parseStat', () => {
  it('reads a name holding spaces and parentheses, and the fields after it', () => {
    expect(parseStat(fixture('stat-parens'))).toEqual({
      pid: 4321,
      name: 'my (weird) name',
      state: 'S',
      ppid: 1,
      flags: 4194560,
      utimeTicks: 250,
      stimeTicks: 50,
      startTicks: 123456,
      rssPages: 2560,
    });
  });

  it('reads the title a program set (comm, 15 characters)', () => {
    expect(parseStat(fixture('stat-title')).name).toBe('tscope-srv-ab');
  });

  it('flags kernel threads', () => {
    expect(parseStat(fixture('stat-kthread')).flags & PF_KTHREAD).not.toBe(0);
  });

  it.each([
    ['truncated', fixture('stat-truncated')],
    ['empty', ''],
    ['no parentheses', '12 nope S 1 2 3'],
    ['bad pid', 'x (a) S 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 1 1 1'],
    ['bad number', '5 (a) S one 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 1 1 1 1'],
  ])('refuses a %s line with MalformedError', (_what, text) => {
    expect(() => parseStat(text)).toThrow(MalformedError);
  });

  it('reads btime from /proc/stat', () => {
    expect(parseBootTime('cpu  1 2 3\nbtime 1764000000\nprocesses 5\n')).toBe(1764000000);
    expect(() => parseBootTime('cpu 1 2 3\n')).toThrow(MalformedError);
  });
});
