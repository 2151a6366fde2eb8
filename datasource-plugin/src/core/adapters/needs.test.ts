// The warning an edge source gives when it drew nothing: no series at all, or series without the labels it needs.
import { ADAPTERS } from '.';
import { needsWarning } from './needs';

const hubble = ADAPTERS.hubble;
const metric = hubble.defaultMetric;

describe('needsWarning', () => {
  it('says nothing when the source gave edges', () => {
    expect(needsWarning({ adapter: hubble, metric, objects: [{ source_workload: '' }], edges: 2 })).toBeUndefined();
  });

  it('says when the metric has no series in the range, naming the labels it needs', () => {
    expect(needsWarning({ adapter: hubble, metric, objects: [], edges: 0 })).toBe(
      `Cilium Hubble flows: no series of ${metric} in this time range (it needs the labels ` +
        'source_namespace, source_workload, destination_namespace, destination_workload).',
    );
  });

  it('names the labels every series lacks, empty or absent (a Hubble without labelsContext)', () => {
    const objects: Record<string, string>[] = [
      { source_namespace: 'shop', source_workload: '', destination_namespace: 'shop' },
      { source_namespace: 'shop', destination_namespace: 'shop', destination_workload: '' },
    ];
    expect(needsWarning({ adapter: hubble, metric, objects, edges: 0 })).toBe(
      `Cilium Hubble flows: 2 series of ${metric} name no edge: they lack the labels source_workload, destination_workload ` +
        '(it needs source_namespace, source_workload, destination_namespace, destination_workload).',
    );
  });

  it('names every label it needs when no one label is missing everywhere', () => {
    const objects = [
      { source_namespace: 'shop', source_workload: 'a', destination_namespace: '', destination_workload: 'b' },
      { source_namespace: '', source_workload: 'a', destination_namespace: 'shop', destination_workload: 'b' },
    ];
    expect(needsWarning({ adapter: hubble, metric, objects, edges: 0 })).toContain(
      'they lack the labels source_namespace, source_workload, destination_namespace, destination_workload (',
    );
  });
});
