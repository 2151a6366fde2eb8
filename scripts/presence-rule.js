// Writes provisioning/prometheus/rules/presence.yml: presenceRuleGroup() (common/src/presenceRule.ts) rendered for
// the global scrape_interval of provisioning/prometheus/prometheus.yml. Run `npm run presence-rule` after changing
// either; provisioning/presenceRule.test.ts fails while the file differs.
require('./register-swc.js');
const fs = require('node:fs');
const path = require('node:path');
const { parse } = require('yaml');
const { presenceRuleGroup } = require('@timescope/common');

const dir = path.join(__dirname, '..', 'provisioning', 'prometheus');
const scrape = parse(fs.readFileSync(path.join(dir, 'prometheus.yml'), 'utf8')).global.scrape_interval;
const m = /^(\d+)s$/.exec(String(scrape));
if (!m) throw new Error(`prometheus.yml: scrape_interval must be whole seconds like 15s, not ${scrape}`);
const out = path.join(dir, 'rules', 'presence.yml');
fs.writeFileSync(out, presenceRuleGroup(Number(m[1])));
console.log(`wrote ${path.relative(process.cwd(), out)} for a ${m[1]} s scrape interval`);
