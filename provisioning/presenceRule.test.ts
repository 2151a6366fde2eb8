// The provisioned presence rule is presenceRuleGroup()'s output for the provisioned scrape interval: the
// datasource trusts the rule only at the interval it was rendered for (common/src/presenceRule.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { presenceRuleGroup } from '@timescope/common';
import { parse } from 'yaml';

const dir = join(__dirname, 'prometheus');
const REGENERATE = 'regenerate it with `npm run presence-rule`';

interface PrometheusYml {
  global: { scrape_interval: string; evaluation_interval?: string };
}
interface RuleGroups {
  groups: { name: string; interval?: string }[];
}

const prometheusYml = parse(readFileSync(join(dir, 'prometheus.yml'), 'utf8')) as PrometheusYml;
const presenceYml = readFileSync(join(dir, 'rules', 'presence.yml'), 'utf8');
/** the rendering for vmalert on VictoriaMetrics (left-open range selectors; docs/scale-out.md) */
const leftOpenYml = readFileSync(join(__dirname, 'victoriametrics', 'rules', 'presence.yml'), 'utf8');

describe('provisioned presence rule', () => {
  it('is rendered for the global scrape_interval of prometheus.yml', () => {
    const group = (parse(presenceYml) as RuleGroups).groups.find((g) => g.name === 'timescope-presence');
    expect(group?.interval).toBe('15s');
    if (prometheusYml.global.scrape_interval !== group?.interval) {
      throw new Error(
        `prometheus.yml scrapes every ${prometheusYml.global.scrape_interval}: ${REGENERATE} and update this test`,
      );
    }
  });

  it('is exactly presenceRuleGroup(15)', () => {
    // toBe's diff alone would not say how to fix it
    try {
      expect(presenceYml).toBe(presenceRuleGroup(15));
    } catch (e) {
      throw new Error(
        `provisioning/prometheus/rules/presence.yml is not presenceRuleGroup(15): ${REGENERATE}.\n${(e as Error).message}`,
      );
    }
  });

  it('has a left-open twin for vmalert: exactly presenceRuleGroup(15, { bounds: left-open })', () => {
    try {
      expect(leftOpenYml).toBe(presenceRuleGroup(15, { bounds: 'left-open' }));
    } catch (e) {
      throw new Error(
        `provisioning/victoriametrics/rules/presence.yml is not the left-open rendering: ${REGENERATE}.\n${(e as Error).message}`,
      );
    }
  });
});
