// Finds a tool's generated stub file through the stubs' manifest.json (validated with the one
// manifest schema, src/core/stubs/manifest.ts: it is a file on disk the user could have edited).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseStubManifest, STUB_MANIFEST_FILE } from '../core/stubs/manifest';

/**
 * Absolute path of the stub of `server`/`tool`, or undefined when there is no manifest or it doesn't
 * list it. Throws ConfigError `stubs_manifest_invalid` (naming the file) when the manifest is broken.
 */
export async function locateStub(stubsDir: string, server: string, tool?: string): Promise<string | undefined> {
  const file = path.join(stubsDir, STUB_MANIFEST_FILE);
  const text = await readFile(file, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  const manifest = parseStubManifest(text, file);
  const s = manifest.servers.find((x) => x.name === server);
  const rel = tool === undefined ? s?.file : s?.tools.find((t) => t.name === tool)?.file;
  if (!rel) return undefined;
  const abs = path.resolve(stubsDir, rel);
  // The manifest is outside input: never follow it out of the stubs folder.
  return abs.startsWith(path.resolve(stubsDir) + path.sep) ? abs : undefined;
}
