// Writes the history scenario as OpenMetrics, ready for `promtool tsdb create-blocks-from openmetrics`.
//   node -r ./scripts/register-swc.js common/src/history/cli.ts --out history.om [--end <s since epoch>]
//     [--resolution 15] [--expect] (also prints the deploy instants and the graph at a few instants as JSON)
import { parseArgs } from 'node:util';
import { deployInstantsMs, graphAt } from './expectations';
import { writeOpenMetricsFile } from './openMetrics';
import { createScenario } from './scenario';

function main(): void {
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      end: { type: 'string' },
      resolution: { type: 'string' },
      expect: { type: 'boolean', default: false },
    },
  });
  if (!values.out) {
    console.error('usage: cli.ts --out FILE [--end SECONDS] [--resolution SECONDS] [--expect]');
    process.exit(2);
  }
  const endSec = values.end === undefined ? undefined : Number(values.end);
  const resolutionSec = values.resolution === undefined ? undefined : Number(values.resolution);
  if ((endSec !== undefined && !Number.isFinite(endSec)) || (resolutionSec !== undefined && !(resolutionSec > 0))) {
    console.error('--end and --resolution take a number of seconds');
    process.exit(2);
  }
  const h = createScenario({ endSec, resolutionSec });
  const bytes = writeOpenMetricsFile(h, values.out);
  console.log(
    `wrote ${values.out}: ${h.series.length} series, ${bytes} bytes, ${new Date(h.startSec * 1000).toISOString()} .. ${new Date(h.endSec * 1000).toISOString()}`,
  );
  if (values.expect) {
    const at = (t: number): object => ({ t, process: graphAt(h, 'process', t), service: graphAt(h, 'service', t) });
    console.log(
      JSON.stringify(
        { events: h.events, deploys: deployInstantsMs(h), at: [h.startSec + 3600, h.endSec].map(at) },
        null,
        2,
      ),
    );
  }
}

main();
