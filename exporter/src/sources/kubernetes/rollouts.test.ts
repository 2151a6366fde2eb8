import type { V1DaemonSet, V1StatefulSet } from '@kubernetes/client-node';
import type { DeployEventInput, DeployEventPatch } from '../../journal/types';
import { RolloutTracker, rolloutState, type RolloutSink } from './rollouts';

function memorySink(): RolloutSink & { started: DeployEventInput[]; finished: [string, DeployEventPatch][] } {
  const started: DeployEventInput[] = [];
  const finished: [string, DeployEventPatch][] = [];
  return {
    started,
    finished,
    start: async (e) => {
      started.push(e);
      return `ev${started.length}`;
    },
    finish: async (id, patch) => {
      finished.push([id, patch]);
    },
  };
}

const statefulSet = (image: string, status: V1StatefulSet['status'], generation = 1): V1StatefulSet => ({
  metadata: { name: 'carts-db', namespace: 'shop', generation },
  spec: {
    replicas: 2,
    serviceName: 'carts-db',
    selector: {},
    template: { spec: { containers: [{ name: 'mongo', image }] } },
  },
  status,
});

const daemonSet = (image: string, status: V1DaemonSet['status'], generation = 1): V1DaemonSet => ({
  metadata: { name: 'timescope', namespace: 'shop', generation },
  spec: { selector: {}, template: { spec: { containers: [{ name: 'exporter', image }] } } },
  status,
});

describe('RolloutTracker', () => {
  it('takes the first sight of a workload as its baseline, not a rollout', async () => {
    const sink = memorySink();
    const t = new RolloutTracker(sink, () => 1000);
    const done = { replicas: 2, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2, observedGeneration: 1 };
    await t.observe([{ kind: 'StatefulSet', obj: statefulSet('mongo:6', { ...done, updateRevision: 'r1' }) }]);
    expect(sink.started).toEqual([]);
  });

  it('records a StatefulSet rollout from a new updateRevision to every replica on it', async () => {
    const sink = memorySink();
    let now = 1000;
    const t = new RolloutTracker(sink, () => now);
    const base = { replicas: 2, readyReplicas: 2, availableReplicas: 2, observedGeneration: 1 };
    const old = { ...base, updatedReplicas: 2, currentRevision: 'r1', updateRevision: 'r1' };
    await t.observe([{ kind: 'StatefulSet', obj: statefulSet('mongo:6', old) }]);
    const rolling = { ...base, observedGeneration: 2, updatedReplicas: 1, currentRevision: 'r1', updateRevision: 'r2' };
    await t.observe([{ kind: 'StatefulSet', obj: statefulSet('mongo:7', rolling, 2) }]);
    expect(sink.started).toEqual([
      expect.objectContaining({
        source: 'kubernetes',
        kind: 'StatefulSet',
        namespace: 'shop',
        workload: 'carts-db',
        revision: 'r2',
        status: 'started',
        startedAt: 1000,
        images: [{ container: 'mongo', from: 'mongo:6', to: 'mongo:7' }],
      }),
    ]);
    expect(sink.finished).toEqual([]);
    now = 5000;
    const rolled = { ...rolling, updatedReplicas: 2, currentRevision: 'r2' };
    await t.observe([{ kind: 'StatefulSet', obj: statefulSet('mongo:7', rolled, 2) }]);
    expect(sink.finished).toEqual([['ev1', { status: 'succeeded', finishedAt: 5000 }]]);
    await t.observe([{ kind: 'StatefulSet', obj: statefulSet('mongo:7', rolled, 2) }]);
    expect(sink.finished).toHaveLength(1); // finished once
  });

  it('records a DaemonSet rollout from a new generation to every node updated and available', async () => {
    const sink = memorySink();
    const t = new RolloutTracker(sink, () => 2000);
    const s = { desiredNumberScheduled: 3, currentNumberScheduled: 3, numberMisscheduled: 0, numberReady: 3 };
    await t.observe([
      {
        kind: 'DaemonSet',
        obj: daemonSet('timescope:1', { ...s, updatedNumberScheduled: 3, numberAvailable: 3, observedGeneration: 1 }),
      },
    ]);
    const rolling = daemonSet(
      'timescope:2',
      { ...s, updatedNumberScheduled: 1, numberAvailable: 3, observedGeneration: 2 },
      2,
    );
    expect(rolloutState({ kind: 'DaemonSet', obj: rolling })).toBe('progressing');
    await t.observe([{ kind: 'DaemonSet', obj: rolling }]);
    expect(sink.started).toEqual([
      expect.objectContaining({
        kind: 'DaemonSet',
        workload: 'timescope',
        revision: '2',
        version: { from: '1', to: '2' },
      }),
    ]);
    await t.observe([
      {
        kind: 'DaemonSet',
        obj: daemonSet(
          'timescope:2',
          { ...s, updatedNumberScheduled: 3, numberAvailable: 3, observedGeneration: 2 },
          2,
        ),
      },
    ]);
    expect(sink.finished).toEqual([['ev1', { status: 'succeeded', finishedAt: 2000 }]]);
  });
});
