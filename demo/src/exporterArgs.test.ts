import { wantedExporterFlags, type ExporterSetup } from './exporterArgs';

const setup: ExporterSetup = {
  port: 9469,
  hostname: 'demo-host',
  gitRepo: '/state/gitops',
  gitBranch: 'main',
  gitPath: 'manifests',
  eventsPath: '/state/events',
  gitCacheDir: '/state/git-cache',
  interval: 1,
};

describe("the demo's exporter flags", () => {
  it('run the cluster role against the stand-in when the shop runs as pods, and not otherwise', () => {
    expect(wantedExporterFlags({ ...setup, kubeconfig: '/state/kubeconfig' })).toMatchObject({
      'kubernetes.role': 'cluster',
      kubeconfig: '/state/kubeconfig',
      'host.name': 'demo-host', // the pods' node name: processes and pods meet on it
    });
    const plain = wantedExporterFlags(setup);
    expect(plain['kubernetes.role']).toBeUndefined();
    expect(plain.kubeconfig).toBeUndefined();
  });
});
