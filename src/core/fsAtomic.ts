// Atomic file writes (temp file in the same folder + rename): a reader sees the old content or the
// new, never a mix. Used for traces and their index, and for generated stubs.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';

export interface AtomicWriteOptions {
  /** fsync before the rename, so a crash cannot leave an empty file (traces: yes; stubs: no). */
  sync?: boolean;
  /** File mode of a new file; default: the process default (0o666 & ~umask). */
  mode?: number;
}

/** Writes `text` to `file` atomically; the temp file is removed when anything fails. */
export async function writeFileAtomic(file: string, text: string, opts: AtomicWriteOptions = {}): Promise<void> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const fh = await fs.open(tmp, 'wx', opts.mode);
    try {
      await fh.writeFile(text, 'utf8');
      if (opts.sync) await fh.sync();
    } finally {
      await fh.close();
    }
    await fs.rename(tmp, file);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
}

/**
 * `mkdir -p` that always settles: Node 20's recursive mkdir never returns when mkdir(2) reports
 * ENOENT for a folder whose parent exists (e.g. under /proc); measured on v20.20. Rejects with the
 * Node error (ENOENT, EACCES, ENOTDIR, EROFS…) of the first folder that cannot be made.
 */
export async function makeDir(dir: string): Promise<void> {
  const target = path.resolve(dir);
  try {
    await fs.mkdir(target);
    return;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      if ((await fs.stat(target)).isDirectory()) return;
      throw err;
    }
    const parent = path.dirname(target);
    if (code !== 'ENOENT' || parent === target) throw err;
    await makeDir(parent);
  }
  try {
    await fs.mkdir(target);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || !(await fs.stat(target)).isDirectory()) throw err;
  }
}
