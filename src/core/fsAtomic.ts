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
