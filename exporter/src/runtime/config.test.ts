import { parseFlags } from '../flags';
import { Config, FlagError, type FlagSpec } from './config';

const specs: FlagSpec[] = [
  { name: 'probe.interval', help: '', type: 'duration', default: '15s' },
  { name: 'path.procfs', help: '', type: 'string', default: '/proc' },
  { name: 'git.repo', help: '', type: 'string' },
  { name: 'git.backfill', help: '', type: 'int', default: '50' },
  { name: 'collector.git', help: '', type: 'bool' },
  { name: 'kubernetes.role', help: '', type: 'string' },
];

const parse = (argv: string[], env: Record<string, string> = {}): Config => parseFlags(argv, env, specs).settings;

describe('Config', () => {
  it('reads each type with its accessor', () => {
    const c = parse(['--probe.interval=1m30s', '--git.backfill=7', '--collector.git', '--git.repo=/srv/repo']);
    expect(c.duration('probe.interval')).toBe(90);
    expect(c.int('git.backfill')).toBe(7);
    expect(c.bool('collector.git')).toBe(true);
    expect(c.string('git.repo')).toBe('/srv/repo');
  });

  it('gives unset strings as "" or undefined and unset bools as false', () => {
    const c = parse([]);
    expect(c.string('git.repo')).toBe('');
    expect(c.optionalString('git.repo')).toBeUndefined();
    expect(c.bool('collector.git')).toBe(false);
    expect(c.string('path.procfs')).toBe('/proc');
  });

  it('knows which flags were given, on the command line or by environment, and which only defaulted', () => {
    const c = parse(['--git.repo=x'], { TIMESCOPE_PROBE_INTERVAL: '5s' });
    expect(c.isSet('git.repo')).toBe(true);
    expect(c.isSet('probe.interval')).toBe(true);
    expect(c.isSet('path.procfs')).toBe(false);
    expect(c.isSet('collector.git')).toBe(false);
  });

  it('names the flag when a value is of another type, missing or out of range', () => {
    const c = new Config({ 'probe.interval': 'soon', 'git.backfill': undefined, 'docker.retry': 0 });
    expect(() => c.duration('probe.interval')).toThrow(
      new FlagError('--probe.interval is not a duration (got "soon")'),
    );
    expect(() => c.int('git.backfill')).toThrow('--git.backfill is required');
    expect(() => c.positiveDuration('docker.retry')).toThrow('--docker.retry must be positive');
  });

  it('checks a value against its choices', () => {
    expect(parse(['--kubernetes.role=node']).oneOf('kubernetes.role', ['cluster', 'node', 'none'], 'none')).toBe(
      'node',
    );
    expect(parse([]).oneOf('kubernetes.role', ['cluster', 'node', 'none'], 'none')).toBe('none');
    expect(() => parse(['--kubernetes.role=master']).oneOf('kubernetes.role', ['cluster', 'node'], 'node')).toThrow(
      FlagError,
    );
  });
});
