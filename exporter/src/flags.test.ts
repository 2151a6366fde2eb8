import type { FlagSpec } from './runtime/source';
import { envName, FlagError, helpText, parseDuration, parseFlags } from './flags';

const specs: FlagSpec[] = [
  { name: 'web.listen-address', help: 'listen', type: 'string', default: ':9469' },
  { name: 'probe.interval', help: 'interval', type: 'duration', default: '15s' },
  { name: 'events.max', help: 'max', type: 'int' },
  { name: 'collector.procfs', help: 'procfs', type: 'bool', default: 'true' },
];

describe('parseDuration', () => {
  it.each([
    ['15s', 15],
    ['5m', 300],
    ['30d', 2592000],
    ['1h30m', 5400],
    ['250ms', 0.25],
    ['2', 2],
  ])('%s is %d seconds', (text, seconds) => expect(parseDuration(text)).toBeCloseTo(seconds));

  it.each(['', '5x', 'm5', '5m junk', '-1s'])('refuses %p', (text) =>
    expect(() => parseDuration(text)).toThrow(FlagError),
  );
});

describe('parseFlags', () => {
  it('takes defaults, then the environment, then the command line', () => {
    const env = { TIMESCOPE_PROBE_INTERVAL: '5m', TIMESCOPE_EVENTS_MAX: '7' };
    const { config } = parseFlags(['--probe.interval', '1s'], env, specs);
    expect(config['web.listen-address']).toBe(':9469');
    expect(config['probe.interval']).toBe(1);
    expect(config['events.max']).toBe(7);
    expect(config['collector.procfs']).toBe(true);
  });

  it('accepts --name=value, --name value, --name and --no-name', () => {
    const { config } = parseFlags(
      ['--web.listen-address=127.0.0.1:1', '--events.max', '3', '--no-collector.procfs'],
      {},
      specs,
    );
    expect(config).toMatchObject({ 'web.listen-address': '127.0.0.1:1', 'events.max': 3, 'collector.procfs': false });
    expect(parseFlags(['--collector.procfs'], { TIMESCOPE_COLLECTOR_PROCFS: 'false' }, specs).config).toMatchObject({
      'collector.procfs': true,
    });
  });

  it('names the environment variable after the flag', () => {
    expect(envName('web.listen-address')).toBe('TIMESCOPE_WEB_LISTEN_ADDRESS');
  });

  it('refuses unknown flags, missing values and bad values with a clear message', () => {
    expect(() => parseFlags(['--nope=1'], {}, specs)).toThrow('unknown flag --nope');
    expect(() => parseFlags(['--events.max'], {}, specs)).toThrow('needs a value');
    expect(() => parseFlags(['--events.max=x'], {}, specs)).toThrow('not an integer');
    expect(() => parseFlags([], { TIMESCOPE_PROBE_INTERVAL: 'soon' }, specs)).toThrow('TIMESCOPE_PROBE_INTERVAL');
    expect(() => parseFlags(['stray'], {}, specs)).toThrow('unexpected argument');
  });

  it('sees --help and --version', () => {
    expect(parseFlags(['--help'], {}, specs).help).toBe(true);
    expect(parseFlags(['--version'], {}, specs).version).toBe(true);
  });

  it('lets two components share a flag of the same type', () => {
    const shared = [...specs, { name: 'probe.interval', help: 'again', type: 'duration' as const, default: '1m' }];
    expect(parseFlags([], {}, shared).config['probe.interval']).toBe(15);
    const clash = [...specs, { name: 'probe.interval', help: 'again', type: 'int' as const }];
    expect(() => parseFlags([], {}, clash)).toThrow('two types');
  });
});

describe('helpText', () => {
  it('lists every flag with its default and environment variable', () => {
    const text = helpText('usage', [{ title: 'Flags', flags: specs }]);
    for (const s of specs) expect(text).toContain(s.name);
    expect(text).toContain('default: :9469; env: TIMESCOPE_WEB_LISTEN_ADDRESS');
    expect(text).toContain('--[no-]collector.procfs');
  });
});
