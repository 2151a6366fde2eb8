import { parse } from 'yaml';
import { parseManifest, renderManifest } from './manifests';
import { initialShop, validateShop } from './shop';
import { SCRIPTED_DEPLOYS } from './timeline';

describe('shop manifests', () => {
  it('render as Kubernetes Deployments and read back to the same workloads', () => {
    for (const w of initialShop()) {
      const doc = parse(renderManifest(w));
      expect(doc).toMatchObject({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: w.name } });
      expect(doc.spec.template.spec.containers[0].image).toBe(`timescope-demo/${w.name}:${w.version}`);
      expect(parseManifest(renderManifest(w))).toEqual(w);
    }
  });

  it('reject what is not a Deployment with the file name', () => {
    expect(() => parseManifest('kind: Service\n', 'manifests/x.yaml')).toThrow('manifests/x.yaml: not a Deployment');
  });

  it('every scripted deploy leaves a valid shop, with titles that fit /proc/<pid>/comm', () => {
    let shop = initialShop();
    validateShop(shop);
    for (const step of SCRIPTED_DEPLOYS) {
      shop = step.change(shop);
      expect(() => validateShop(shop)).not.toThrow();
    }
    expect(shop.find((w) => w.name === 'loadgen')?.replicas).toBe(24);
    expect(shop.find((w) => w.name === 'orders')?.dependsOn).toContain('fraud-check');
  });

  it('refuses cycles, unknown dependencies and names longer than a process title', () => {
    const a = { name: 'a', role: 'service' as const, version: '1', replicas: 1, dependsOn: ['b'] };
    const b = { ...a, name: 'b', dependsOn: ['a'] };
    expect(() => validateShop([a, b])).toThrow('dependency cycle');
    expect(() => validateShop([a])).toThrow('depends on b');
    expect(() => validateShop([{ ...a, name: 'a-very-long-service-name', dependsOn: [] }])).toThrow('15 bytes');
  });
});
