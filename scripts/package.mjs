#!/usr/bin/env node
// Writes a built Grafana plugin (its dist/) as the zip Grafana's plugin installer takes: <id>-<version>.zip holding
// one folder named after the plugin id with dist's contents. No zip binary is needed: this is a small zip writer
// (deflate from node:zlib, CRC-32, central directory; no zip64, which plugins never need).
//
// usage: node scripts/package.mjs [--out=dist-packages] [plugin-folder ...]   (default: both plugins)
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateRawSync } from 'node:zlib';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DEFAULT_PLUGINS = ['datasource-plugin', 'panel-plugin'];
// Grafana's rule for plugin ids (plugin.json `id`).
const PLUGIN_ID = /^[0-9a-z]+-([0-9a-z]+-)?(app|panel|datasource)$/;

class PackageError extends Error {}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(buf) {
  let c = 0xffffffff;
  for (let i = 0; i < buf.length; i++) c = CRC_TABLE[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** MS-DOS date and time, the only timestamps plain zip headers hold (2-second resolution, from 1980). */
function dosDateTime(date) {
  const d = date.getFullYear() < 1980 ? new Date(1980, 0, 1) : date;
  const time = (d.getHours() << 11) | (d.getMinutes() << 5) | Math.floor(d.getSeconds() / 2);
  const day = ((d.getFullYear() - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate();
  return { time, day };
}

/**
 * The 26 bytes that the local header (at offset 4) and the central directory header (at offset 6) share, in the same
 * order: version needed, flags, method, time, date, CRC-32, compressed and uncompressed sizes, name length.
 */
function writeEntryFields(buf, at, f) {
  buf.writeUInt16LE(20, at); // version needed: 2.0 (deflate, folders)
  buf.writeUInt16LE(0x0800, at + 2); // flags: names are UTF-8
  buf.writeUInt16LE(f.method, at + 4);
  buf.writeUInt16LE(f.time, at + 6);
  buf.writeUInt16LE(f.day, at + 8);
  buf.writeUInt32LE(f.crc, at + 10);
  buf.writeUInt32LE(f.compressed, at + 14);
  buf.writeUInt32LE(f.size, at + 18);
  buf.writeUInt16LE(f.nameLength, at + 22);
}

/**
 * @param {{ name: string, data?: Buffer, mtime: Date }[]} entries names use '/', folders end with '/'
 * @returns {Buffer} the zip file
 */
export function writeZip(entries) {
  if (entries.length > 0xffff) throw new PackageError('too many entries for a zip without zip64');
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const e of entries) {
    const isDir = e.name.endsWith('/');
    const raw = isDir ? Buffer.alloc(0) : e.data;
    const deflated = raw.length > 0 ? deflateRawSync(raw, { level: 9 }) : raw;
    const stored = deflated.length >= raw.length;
    const body = stored ? raw : deflated;
    const method = stored ? 0 : 8;
    const crc = crc32(raw);
    const name = Buffer.from(e.name, 'utf8');
    const { time, day } = dosDateTime(e.mtime);
    if (offset + body.length > 0xffffffff) throw new PackageError('zip over 4 GiB');

    const fields = { method, time, day, crc, compressed: body.length, size: raw.length, nameLength: name.length };
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0); // local file header signature
    writeEntryFields(local, 4, fields);
    local.writeUInt16LE(0, 28); // extra field length
    locals.push(local, name, body);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0); // central directory header signature
    central.writeUInt16LE((3 << 8) | 20, 4); // made by: Unix, 2.0 (so the external attributes are a Unix mode)
    writeEntryFields(central, 6, fields);
    central.writeUInt16LE(0, 30); // extra field length
    central.writeUInt16LE(0, 32); // comment length
    central.writeUInt16LE(0, 34); // disk number
    central.writeUInt16LE(0, 36); // internal attributes
    const mode = isDir ? 0o040755 : 0o100644;
    central.writeUInt32LE(((mode << 16) | (isDir ? 0x10 : 0)) >>> 0, 38); // Unix mode, MS-DOS folder bit
    central.writeUInt32LE(offset, 42); // offset of the local header
    centrals.push(central, name);

    offset += local.length + name.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); // end of central directory signature
  end.writeUInt16LE(0, 4); // this disk
  end.writeUInt16LE(0, 6); // disk of the central directory
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  end.writeUInt16LE(0, 20); // comment length
  return Buffer.concat([...locals, directory, end]);
}

/** Every file and folder under dir, sorted, as zip entries under prefix/. */
function collect(dir, prefix) {
  const entries = [{ name: `${prefix}/`, mtime: statSync(dir).mtime }];
  const walk = (d) => {
    for (const f of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = join(d, f.name);
      const name = `${prefix}/${relative(dir, full).split(sep).join('/')}`;
      if (f.isDirectory()) {
        entries.push({ name: `${name}/`, mtime: statSync(full).mtime });
        walk(full);
      } else if (f.isFile()) {
        entries.push({ name, data: readFileSync(full), mtime: statSync(full).mtime });
      }
    }
  };
  walk(dir);
  return entries;
}

function readPluginJson(dist) {
  const file = join(dist, 'plugin.json');
  if (!existsSync(join(dist, 'module.js')) || !existsSync(file)) {
    throw new PackageError(`${dist} has no module.js or plugin.json: build the plugin first (npm run build)`);
  }
  let json;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new PackageError(`${file}: not JSON: ${e.message}`);
  }
  const id = json?.id;
  const version = json?.info?.version;
  if (typeof id !== 'string' || !PLUGIN_ID.test(id)) throw new PackageError(`${file}: bad plugin id ${String(id)}`);
  if (typeof version !== 'string' || !/^[0-9A-Za-z.+-]+$/.test(version)) {
    throw new PackageError(`${file}: bad info.version ${String(version)}`);
  }
  return { id, version };
}

/** Packages one plugin folder (holding dist/) into outDir; returns the zip's path. */
export function packagePlugin(pluginDir, outDir) {
  const dist = join(pluginDir, 'dist');
  const { id, version } = readPluginJson(dist);
  const zip = writeZip(collect(dist, id));
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, `${id}-${version}.zip`);
  writeFileSync(file, zip);
  const sha256 = createHash('sha256').update(zip).digest('hex');
  return { file, id, version, bytes: zip.length, sha256 };
}

function main(argv) {
  let out = join(ROOT, 'dist-packages');
  const plugins = [];
  for (const arg of argv) {
    if (arg.startsWith('--out=')) out = resolve(arg.slice('--out='.length));
    else if (arg.startsWith('--'))
      throw new PackageError(`unknown flag ${arg} (usage: package.mjs [--out=DIR] [plugin-folder ...])`);
    else plugins.push(resolve(arg));
  }
  for (const dir of plugins.length > 0 ? plugins : DEFAULT_PLUGINS.map((p) => join(ROOT, p))) {
    const p = packagePlugin(dir, out);
    const shown = relative(process.cwd(), p.file);
    console.log(`${shown.startsWith('..') ? p.file : shown}  ${p.bytes} bytes  sha256 ${p.sha256}`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main(process.argv.slice(2));
  } catch (e) {
    if (!(e instanceof PackageError)) throw e;
    console.error(`package: ${e.message}`);
    process.exit(1);
  }
}
