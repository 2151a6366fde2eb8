// The scripted deploys of the demo, as in the seed talk: each one is a commit to the GitOps repository that is then
// applied to the running shop.
import type { Commit, GitOpsRepo } from './gitops';
import type { Supervisor } from './supervisor';
import type { Workload } from './shop';

export interface ScriptedDeploy {
  /** short id, printed and used by tests */
  id: 'new-version' | 'new-dependency' | 'scale-load';
  subject: string;
  change(shop: Workload[]): Workload[];
}

export const NEW_SERVICE = 'fraud-check';

function update(shop: Workload[], name: string, f: (w: Workload) => Workload): Workload[] {
  if (!shop.some((w) => w.name === name)) throw new Error(`no workload ${name} in the shop`);
  return shop.map((w) => (w.name === name ? f({ ...w }) : w));
}

export const SCRIPTED_DEPLOYS: readonly ScriptedDeploy[] = [
  {
    id: 'new-version',
    subject: 'catalogue: release 1.1.0',
    change: (shop) => update(shop, 'catalogue', (w) => ({ ...w, version: '1.1.0' })),
  },
  {
    id: 'new-dependency',
    subject: `orders: check payments with the new ${NEW_SERVICE} service`,
    change: (shop) => [
      ...update(shop, 'orders', (w) => ({ ...w, version: '1.1.0', dependsOn: [...w.dependsOn, NEW_SERVICE] })),
      { name: NEW_SERVICE, role: 'service', version: '1.0.0', replicas: 1, dependsOn: [] },
    ],
  },
  {
    id: 'scale-load',
    subject: 'loadgen: scale the load test from 2 to 24 processes',
    change: (shop) => update(shop, 'loadgen', (w) => ({ ...w, replicas: 24 })),
  },
];

export interface AppliedDeploy {
  id: string;
  commit: Commit;
  /** when the commit had been applied to the running processes (ms since the epoch) */
  appliedAtMs: number;
  changes: string[];
}

/** Commits one scripted deploy and applies the commit to the running shop. */
export async function runDeploy(
  step: ScriptedDeploy,
  repo: GitOpsRepo,
  supervisor: Supervisor,
  current: Workload[],
): Promise<{ shop: Workload[]; applied: AppliedDeploy }> {
  const commit = await repo.commitShop(step.change(current), step.subject);
  const shop = await repo.shopAt(commit.sha);
  const changes = await supervisor.apply(shop);
  return { shop, applied: { id: step.id, commit, appliedAtMs: Date.now(), changes } };
}
