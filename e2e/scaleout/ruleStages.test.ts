import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { recordingRuleStages } from './ruleStages';

const rules = join(__dirname, '..', '..', 'provisioning', 'prometheus', 'rules');

describe('recordingRuleStages', () => {
  it('puts each edges rule after the rules it reads', () => {
    const stages = recordingRuleStages(readFileSync(join(rules, 'edges.yml'), 'utf8')).map((y) =>
      (parse(y) as { groups: { rules: { record: string; labels?: { kind?: string; rule?: string } }[] }[] }).groups
        .flatMap((g) => g.rules)
        .map((r) => (r.labels?.kind ? `${r.record}{${r.labels.kind},${r.labels.rule}}` : r.record)),
    );
    expect(stages[0]).toContain('timescope:host_address:owner');
    expect(stages[1]).toContain('timescope_edge_connections{process,edges}');
    expect(stages[1]).toContain('timescope_edge_connections{pod,nat}');
    expect(stages[2]).toEqual(['timescope_edge_connections{pod,edges}']);
    // the service rule reads kind="pod" only, but a stage is chosen by metric name: one stage later does no harm
    expect(stages[3]).toEqual(['timescope_edge_connections{workload,edges}']);
    expect(stages[4]).toEqual(['timescope_edge_connections{service,edges}']);
  });

  it('keeps the presence rule in one stage, with its interval', () => {
    const stages = recordingRuleStages(readFileSync(join(rules, 'presence.yml'), 'utf8'));
    expect(stages).toHaveLength(1);
    expect((parse(stages[0] ?? '') as { groups: { interval: string }[] }).groups[0]?.interval).toBe('15s');
  });
});
