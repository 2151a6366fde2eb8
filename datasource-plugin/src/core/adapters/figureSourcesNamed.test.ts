// The panel's "Edge label (L7 figure)" option says which edge sources have request figures. The panel cannot import
// the adapters (another plugin), so this test holds its sentence to them: a source that gains figures must be named.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ADAPTERS } from '.';

const PANEL_MODULE = join(__dirname, '..', '..', '..', '..', 'panel-plugin', 'src', 'module.ts');

describe('the panel names the sources with L7 figures', () => {
  it('lists exactly the labels of the adapters with figures', () => {
    const text = readFileSync(PANEL_MODULE, 'utf8');
    const listed = /whose source has request figures \(([^)]*)\)/.exec(text)?.[1]?.split(', ');
    const withFigures = Object.values(ADAPTERS)
      .filter((a) => a.figures)
      .map((a) => a.label);
    expect(listed?.slice().sort()).toEqual(withFigures.sort());
    expect(withFigures).toContain('Istio');
  });
});
