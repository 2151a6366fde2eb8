// The proof that the host loads plugins as Grafana does: a panel we did not write, scaffolded by
// @grafana/create-plugin and built by its own webpack config (scripts/create-plugin.sh, cached in .cache/), loads
// with no page error and renders with its default options. When the host and Grafana disagree, the host is wrong.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser, type Browser } from '../support/browser';
import { hostUrl, openHost, setFrames } from '../support/host';
import { startHost, type RunningHost } from './server';

jest.setTimeout(900_000);

const ROOT = join(__dirname, '..', '..');

/** The scaffold's dist folder, scaffolded and built first when the cache does not hold it. */
function scaffold(): string {
  try {
    const out = execFileSync('bash', [join(ROOT, 'scripts', 'create-plugin.sh')], { cwd: ROOT, encoding: 'utf8' });
    return join(ROOT, out.trim().split('\n').pop() ?? '');
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`the create-plugin scaffold could not be built: ${err.stderr || err.message}`);
  }
}

describe('a panel scaffolded by @grafana/create-plugin, in the host', () => {
  let host: RunningHost;
  let b: Browser;
  let dist: string;

  beforeAll(async () => {
    dist = scaffold();
    host = await startHost({ plugins: [dist] });
    b = await launchBrowser();
  });
  afterAll(async () => {
    await b?.close();
    await host?.close();
  });

  it('is an AMD module asking for `module`, which a plain define() does not give', () => {
    const define = /define\((\[[^\]]*\])/.exec(readFileSync(join(dist, 'module.js'), 'utf8'));
    expect(JSON.parse(define?.[1] ?? '[]')).toContain('module');
  });

  it('loads with no page error and renders with its default options applied', async () => {
    await openHost(b.page, hostUrl(host.url, { panel: 'thirdparty-probe-panel', from: 0, to: 10_000 }));
    const frame = {
      name: 'A',
      fields: [
        { name: 'time', type: 'time', values: [1_000, 2_000] },
        { name: 'value', type: 'number', values: [1, 2] },
      ],
    };
    await setFrames(b.page, { frames: [frame] });
    // the scaffold's panel shows its text option, whose default the host must have applied
    const panel = b.page.getByText('Text option value: Default value of text input option');
    await panel.waitFor({ timeout: 30_000 });
    await b.page.locator('[data-testid="simple-panel-circle"]').waitFor({ timeout: 5_000 });
    // showSeriesCount defaults to false: no counter
    expect(await b.page.locator('[data-testid="simple-panel-series-counter"]').count()).toBe(0);
    expect(b.errors).toEqual([]);
  });
});
