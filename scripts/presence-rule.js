// Writes provisioning/prometheus/rules/presence.yml and provisioning/victoriametrics/rules/presence.yml:
// presenceRuleGroup() (common/src/presenceRule.ts) rendered for the global scrape_interval of
// provisioning/prometheus/prometheus.yml, for Prometheus 2.x (closed range selectors) and for left-open stores
// (VictoriaMetrics' vmalert, Prometheus 3). Run `npm run presence-rule` after changing either; provisioning/
// presenceRule.test.ts fails while a file differs.
require('./register-swc.js');
const fs = require('node:fs');
const path = require('node:path');
const { parse } = require('yaml');
const { presenceRuleGroup } = require('@timescope/common');

const dir = path.join(__dirname, '..', 'provisioning', 'prometheus');
const scrape = parse(fs.readFileSync(path.join(dir, 'prometheus.yml'), 'utf8')).global.scrape_interval;
const m = /^(\d+)s$/.exec(String(scrape));
if (!m) throw new Error(`prometheus.yml: scrape_interval must be whole seconds like 15s, not ${scrape}`);
const outputs = [
  { file: path.join(dir, 'rules', 'presence.yml'), bounds: 'closed' },
  { file: path.join(dir, '..', 'victoriametrics', 'rules', 'presence.yml'), bounds: 'left-open' },
];
for (const { file, bounds } of outputs) {
  fs.writeFileSync(file, presenceRuleGroup(Number(m[1]), { bounds }));
  console.log(`wrote ${path.relative(process.cwd(), file)} for a ${m[1]} s scrape interval, ${bounds} range selectors`);
}
