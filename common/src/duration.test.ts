import { parseDurationMs } from './duration';

describe('parseDurationMs', () => {
  it.each([
    ['15s', 15_000],
    ['250ms', 250],
    ['1m30s', 90_000],
    ['1h30m', 5_400_000],
    ['1.5h', 5_400_000],
    ['30d', 2_592_000_000],
    ['2w', 1_209_600_000],
    ['1y', 31_536_000_000],
    [' 5m ', 300_000],
    ['0s', 0],
  ])('%s is %d ms', (text, ms) => expect(parseDurationMs(text)).toBeCloseTo(ms));

  it.each(['', ' ', '15', 's', '15x', '15s junk', '-5s', '5 m', '1h-30m', '1e3s'])('%j is not a duration', (text) =>
    expect(parseDurationMs(text)).toBeUndefined(),
  );
});
