// The Kubernetes API stand-in the exporter's tests use, under the names they know it by. It lives in common (the
// demo ships it, and the multi-host test and the benches use it too).
export {
  KubeApiStandIn as FakeKubeApi,
  standInResources as fakeResources,
  type KubeObject,
} from '@timescope/common/standins';
