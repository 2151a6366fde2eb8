// The host loads plugins as Grafana does: through SystemJS's AMD extra, with `module` and `exports`, Grafana's
// shared modules and nothing more, and the panel's options and field config completed by the plugin's defaults.
import { join } from 'node:path';
import { launchBrowser, type Browser } from '../support/browser';
import { hostUrl, openHost, setFrames } from '../support/host';
import { startHost, type RunningHost } from './server';

jest.setTimeout(120_000);

const TESTDATA = join(__dirname, 'testdata');
const frame = {
  name: 'latency',
  fields: [
    { name: 'time', type: 'time', values: [1_000, 2_000] },
    { name: 'value', type: 'number', values: [1.5, 2.5], config: { decimals: 1 } },
  ],
};

interface Shown {
  moduleUri: string;
  greeting: string;
  size: number;
  unit: string | null;
  decimals: number | null;
  display: string | null;
  replaced: string;
  lodashIsLibrary: boolean;
  requireGiven: boolean;
}

describe('plugin host loader', () => {
  let host: RunningHost;
  let b: Browser;

  beforeAll(async () => {
    host = await startHost({ plugins: [join(TESTDATA, 'fixture-panel'), join(TESTDATA, 'unshared-panel')] });
    b = await launchBrowser();
  });
  afterAll(async () => {
    await b?.close();
    await host?.close();
  });

  it('lists the plugins given with --plugin beside ours', async () => {
    const list = (await (await fetch(`${host.url}/api/host/plugins`)).json()) as Array<{ id: string; url: string }>;
    expect(list.map((p) => p.id).sort()).toEqual([
      'timescope-fixture-panel',
      'timescope-servicegraph-panel',
      'timescope-topology-datasource',
      'timescope-unshared-panel',
    ]);
    expect(list.find((p) => p.id === 'timescope-fixture-panel')?.url).toBe(
      '/public/plugins/timescope-fixture-panel/module.js',
    );
    // a plugin's folder only: nothing beside it
    const out = await fetch(`${host.url}/public/plugins/timescope-fixture-panel/..%2Funshared-panel%2Fmodule.js`);
    expect(out.status).toBe(404);
  });

  it('renders the panel named by ?panel= with module, exports, shared modules and every default applied', async () => {
    const page = {
      panel: 'timescope-fixture-panel',
      from: 0,
      to: 10_000,
      options: { size: 7 },
      vars: { service: 'a.b' },
    };
    // a second value of the variable: the URL repeats var-<name>
    await openHost(b.page, `${hostUrl(host.url, page)}&var-service=c`);
    await setFrames(b.page, { frames: [frame] });
    const text = await b.page.locator('[data-testid="fixture-panel"]').textContent({ timeout: 30_000 });
    const shown = JSON.parse(text ?? '{}') as Shown;
    expect(shown).toEqual({
      moduleUri: `${host.url}/public/plugins/timescope-fixture-panel/module.js`,
      greeting: 'hello', // the option's default
      size: 7, // the saved option wins
      unit: 'ms', // the field config default
      decimals: 1, // the frame's own field config
      display: '1.2 s', // applyFieldOverrides gave the field its display processor (1234.5 ms, 1 decimal)
      replaced: '(a\\.b|c)',
      lodashIsLibrary: true,
      requireGiven: true,
    });
    expect(b.errors).toEqual([]);
  });

  it('applies the saved field config over the defaults, and its overrides over the frame, dropping unknown keys', async () => {
    const fieldConfig = {
      defaults: { unit: 's', noSuchProperty: 1 },
      overrides: [
        { matcher: { id: 'byName', options: 'value' }, properties: [{ id: 'decimals', value: 0 }] },
        { matcher: { id: 'byName', options: 'value' }, properties: [{ id: 'noSuchProperty', value: 2 }] },
      ],
    };
    await openHost(b.page, hostUrl(host.url, { panel: 'timescope-fixture-panel', from: 0, to: 10_000, fieldConfig }));
    await setFrames(b.page, { frames: [frame] });
    const text = await b.page.locator('[data-testid="fixture-panel"]').textContent({ timeout: 30_000 });
    const shown = JSON.parse(text ?? '{}') as Shown;
    // 1234.5 s at 0 decimals; the frame's decimals: 1 lost to the override
    expect({ unit: shown.unit, decimals: shown.decimals, display: shown.display }).toEqual({
      unit: 's',
      decimals: 0,
      display: '21 mins',
    });
    expect(b.errors).toEqual([]);
  });

  it('fails to load a plugin that imports a module Grafana does not share', async () => {
    await b.page.goto(hostUrl(host.url, { panel: 'timescope-unshared-panel', from: 0, to: 10_000 }));
    await b.page.waitForFunction(
      () => window.timescopeHost && (window.timescopeHost.ready || window.timescopeHost.error),
    );
    const error = await b.page.evaluate(() => window.timescopeHost.error);
    expect(error).toContain('@grafana/schema');
    expect(await b.page.locator('[data-testid="host-error"]').textContent()).toContain('could not load plugin');
  });
});
