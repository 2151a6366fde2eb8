// npm run package's zip writer (scripts/package.mjs): the zips Grafana's plugin installer takes, read back through
// their central directory and checked by Python's zipfile (which verifies every CRC-32).
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = join(__dirname, '..');
const PACKAGER = join(ROOT, 'scripts', 'package.mjs');

jest.setTimeout(60_000);

interface ZipEntry {
  name: string;
  method: number;
  size: number;
  crc: number;
}

/** The entries listed in a zip's central directory (no zip64, no archive comment: what package.mjs writes). */
function centralDirectory(zip: Buffer): ZipEntry[] {
  const end = zip.length - 22;
  if (zip.readUInt32LE(end) !== 0x06054b50) throw new Error('no end of central directory record');
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error(`bad central directory header at ${at}`);
    const nameLength = zip.readUInt16LE(at + 28);
    const extra = zip.readUInt16LE(at + 30);
    const comment = zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    if (zip.readUInt32LE(local) !== 0x04034b50) throw new Error(`bad local header at ${local}`);
    entries.push({
      name: zip.toString('utf8', at + 46, at + 46 + nameLength),
      method: zip.readUInt16LE(at + 10),
      crc: zip.readUInt32LE(at + 16),
      size: zip.readUInt32LE(at + 24),
    });
    at += 46 + nameLength + extra + comment;
  }
  return entries;
}

async function packager(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [PACKAGER, ...args]);
    return { stdout, stderr, code: 0 };
  } catch (e) {
    const err = e as { stdout: string; stderr: string; code: number };
    return { stdout: err.stdout, stderr: err.stderr, code: err.code };
  }
}

async function python(...args: string[]): Promise<string> {
  const { stdout } = await run('python3', args);
  return stdout;
}

function writeFiles(dir: string, files: Record<string, string | Buffer>): void {
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
}

describe('npm run package (scripts/package.mjs)', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'timescope-package-'));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('writes <id>-<version>.zip with one folder named after the id holding dist, byte for byte', async () => {
    const plugin = join(tmp, 'fixture-plugin');
    const big = Buffer.from('export const x = 1;\n'.repeat(5000)); // compresses: deflated
    const random = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 251)); // stored or not
    const files: Record<string, string | Buffer> = {
      'module.js': big,
      'plugin.json': JSON.stringify({ id: 'acme-fixture-panel', type: 'panel', info: { version: '1.2.3' } }),
      'img/logo.svg': '<svg xmlns="http://www.w3.org/2000/svg"/>',
      'img/deep/blob.bin': random,
      'README.md': '# Fixture — ünïcode\n',
      'CHANGELOG.md': '',
      LICENSE: 'Apache-2.0\n',
    };
    writeFiles(join(plugin, 'dist'), files);
    const out = join(tmp, 'out-fixture');
    const result = await packager(`--out=${out}`, plugin);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const file = join(out, 'acme-fixture-panel-1.2.3.zip');
    expect(result.stdout).toContain(file);

    const zip = readFileSync(file);
    const entries = centralDirectory(zip);
    expect(entries.map((e) => e.name).sort()).toEqual(
      [
        'acme-fixture-panel/',
        'acme-fixture-panel/CHANGELOG.md',
        'acme-fixture-panel/LICENSE',
        'acme-fixture-panel/README.md',
        'acme-fixture-panel/img/',
        'acme-fixture-panel/img/deep/',
        'acme-fixture-panel/img/deep/blob.bin',
        'acme-fixture-panel/img/logo.svg',
        'acme-fixture-panel/module.js',
        'acme-fixture-panel/plugin.json',
      ].sort(),
    );
    const moduleEntry = entries.find((e) => e.name === 'acme-fixture-panel/module.js');
    expect(moduleEntry).toMatchObject({ method: 8, size: big.length });

    // Python's zipfile reads the same archive, checks every CRC-32 (-t) and extracts the same bytes.
    expect(await python('-m', 'zipfile', '-t', file)).toContain('Done testing');
    const listing = await python('-m', 'zipfile', '-l', file);
    expect(listing).toContain('acme-fixture-panel/img/logo.svg');
    const extracted = join(tmp, 'extracted');
    await python('-m', 'zipfile', '-e', file, extracted);
    for (const [name, content] of Object.entries(files)) {
      expect(readFileSync(join(extracted, 'acme-fixture-panel', name))).toEqual(Buffer.from(content));
    }
  });

  it('packages both plugins by default, named from their plugin.json, with module.js, its map, plugin.json, LICENSE and img/', async () => {
    const out = join(tmp, 'out-plugins');
    const result = await packager(`--out=${out}`);
    if (result.code !== 0)
      throw new Error(`package.mjs failed (build the plugins first: npm run build):\n${result.stderr}`);
    for (const dir of ['datasource-plugin', 'panel-plugin']) {
      const json = JSON.parse(readFileSync(join(ROOT, dir, 'src', 'plugin.json'), 'utf8')) as {
        id: string;
        info: { version: string };
        logos?: unknown;
      };
      const file = join(out, `${json.id}-${json.info.version}.zip`);
      const names = centralDirectory(readFileSync(file)).map((e) => e.name);
      expect(names.every((n) => n.startsWith(`${json.id}/`))).toBe(true);
      expect(names).toEqual(
        expect.arrayContaining([`${json.id}/`, `${json.id}/module.js`, `${json.id}/plugin.json`, `${json.id}/img/`]),
      );
      expect(names).toEqual(
        expect.arrayContaining([`${json.id}/LICENSE`, `${json.id}/module.js.map`, `${json.id}/img/screenshot.png`]),
      );
      expect(await python('-m', 'zipfile', '-t', file)).toContain('Done testing');
      const packaged = JSON.parse(
        await python(
          '-c',
          'import sys, zipfile; print(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]).decode())',
          file,
          `${json.id}/plugin.json`,
        ),
      ) as { id: string };
      expect(packaged.id).toBe(json.id);
    }
  });

  it('says what is wrong with a folder that holds no built plugin or a bad plugin.json', async () => {
    const empty = join(tmp, 'not-built');
    mkdirSync(empty, { recursive: true });
    const missing = await packager(`--out=${join(tmp, 'out-bad')}`, empty);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no module\.js or plugin\.json: build the plugin first/);

    const badId = join(tmp, 'bad-id');
    writeFiles(join(badId, 'dist'), {
      'module.js': '',
      'plugin.json': JSON.stringify({ id: '../evil', info: { version: '1.0.0' } }),
    });
    const bad = await packager(`--out=${join(tmp, 'out-bad')}`, badId);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('bad plugin id ../evil');

    const badJson = join(tmp, 'bad-json');
    writeFiles(join(badJson, 'dist'), { 'module.js': '', 'plugin.json': '{' });
    const broken = await packager(`--out=${join(tmp, 'out-bad')}`, badJson);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain('not JSON');
  });
});
