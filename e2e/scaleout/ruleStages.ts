// Splits a rule group file into stages for `promtool tsdb create-blocks-from rules`, which evaluates each rule through
// the query API: a rule that reads a series recorded by an earlier rule of its group (the edges rules chain) must wait
// until that rule's blocks are loaded. Stage n holds the rules whose inputs are recorded in stages < n.
import { parse, stringify } from 'yaml';

interface Rule {
  record?: string;
  alert?: string;
  expr: string;
  labels?: Record<string, string>;
}
interface Group {
  name: string;
  interval?: string;
  rules: Rule[];
}

function mentions(expr: string, name: string): boolean {
  const esc = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^a-zA-Z0-9_:])${esc}($|[^a-zA-Z0-9_:])`).test(expr);
}

/** The recording rules of the file, as one YAML file per stage (alerting rules are left out: promtool skips them). */
export function recordingRuleStages(yamlText: string): string[] {
  const { groups } = parse(yamlText) as { groups: Group[] };
  const stages: Group[][] = [];
  for (const g of groups) {
    const stageOf: { record: string; stage: number }[] = [];
    for (const r of g.rules) {
      if (!r.record) continue;
      const deps = stageOf.filter((d) => mentions(r.expr, d.record)).map((d) => d.stage);
      const stage = deps.length ? Math.max(...deps) + 1 : 0;
      stageOf.push({ record: r.record, stage });
      while (stages.length <= stage) stages.push([]);
      const list = stages[stage] as Group[];
      let sg = list.find((x) => x.name === g.name);
      if (!sg) {
        sg = { name: g.name, ...(g.interval ? { interval: g.interval } : {}), rules: [] };
        list.push(sg);
      }
      sg.rules.push(r);
    }
  }
  return stages.map((groupsOfStage) => stringify({ groups: groupsOfStage }));
}
