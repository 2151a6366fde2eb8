// Held /proc/<pid>/stat descriptors on real processes: fresh content at every read, and a process that exited is
// never read through its old descriptor.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HeldFiles, isProcfs } from './heldFiles';
import { parseStat } from './procStat';

describe('HeldFiles', () => {
  it('holds descriptors on procfs only', () => {
    const dir = mkdtempSync(join(tmpdir(), 'timescope-held-'));
    try {
      expect(isProcfs('/proc')).toBe(true);
      expect(isProcfs(dir)).toBe(false);
      writeFileSync(join(dir, 'stat'), 'x');
      const copied = new HeldFiles(isProcfs(dir));
      expect(copied.read(1, join(dir, 'stat')).toString()).toBe('x');
      expect(copied.size).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads a live process afresh through one descriptor, and lets go of it once the process has exited', async () => {
    const child = spawn(process.execPath, ['-e', 'let x = 0; for (;;) x++;'], { stdio: 'ignore' });
    const pid = child.pid as number;
    const held = new HeldFiles(true);
    try {
      const path = `/proc/${pid}/stat`;
      const first = parseStat(held.read(pid, path).toString());
      expect(held.size).toBe(1);
      let later = first;
      for (let i = 0; i < 200 && later.utimeTicks + later.stimeTicks === first.utimeTicks + first.stimeTicks; i++) {
        await new Promise((r) => setTimeout(r, 20));
        later = parseStat(held.read(pid, path).toString());
      }
      expect(later.utimeTicks + later.stimeTicks).toBeGreaterThan(first.utimeTicks + first.stimeTicks);
      expect(later.startTicks).toBe(first.startTicks);
      expect(held.size).toBe(1);
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
      expect(() => held.read(pid, path)).toThrow(expect.objectContaining({ code: 'ENOENT' }));
      expect(held.size).toBe(0);
    } finally {
      child.kill('SIGKILL');
      held.closeAll();
    }
  });
});
