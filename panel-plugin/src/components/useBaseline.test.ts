import { act, renderHook } from '@testing-library/react';
import type { DeployMarker } from '../model/deploys';
import type { RangeInfo } from '../model/timeTravel';
import { useBaseline } from './useBaseline';

const range: RangeInfo = { from: 1_000_000, to: 1_600_000, step: 60_000 };
const marker: DeployMarker = {
  time: 1_250_000,
  timeEnd: 1_310_000,
  title: 'deploy carts',
  text: '',
  workload: 'shop/carts',
  revision: 'v2',
};

function setup() {
  const travelled: number[] = [];
  const hook = renderHook(() => useBaseline(range, (t) => travelled.push(t)));
  return { travelled, ...hook };
}

describe('useBaseline', () => {
  it('is off at first', () => {
    const { result } = setup();
    expect(result.current.baseline).toBeNull();
    expect(result.current.deploy).toBeNull();
  });

  it('the Diff button compares with the start of the range, and again turns it off', () => {
    const { result } = setup();
    act(() => result.current.toggle());
    expect(result.current.baseline).toBe(range.from);
    act(() => result.current.toggle());
    expect(result.current.baseline).toBeNull();
  });

  it('a deploy marker compares just before the deploy with just after it, and travels there', () => {
    const { result, travelled } = setup();
    act(() => result.current.acrossDeploy(marker));
    expect(result.current.baseline).toBe(1_240_000);
    expect(travelled).toEqual([1_420_000]); // the first instant whose cell (the step up to it) begins after the end
    expect(result.current.deploy).toBe(marker);
  });

  it('the Diff button after a marker compares no deploy any more; clear turns everything off', () => {
    const { result } = setup();
    act(() => result.current.acrossDeploy(marker));
    act(() => result.current.toggle());
    expect(result.current.baseline).toBeNull();
    act(() => result.current.toggle());
    expect(result.current.baseline).toBe(range.from);
    expect(result.current.deploy).toBeNull();
    act(() => result.current.acrossDeploy(marker));
    act(() => result.current.clear());
    expect([result.current.baseline, result.current.deploy]).toEqual([null, null]);
  });
});
