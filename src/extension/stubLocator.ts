// Finds a tool's generated stub file through the stubs' manifest.json (validated: it is a file on
// disk the user could have edited).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

const ManifestSchema = z.object({
  servers: z.array(z.object({ name: z.string(), file: z.string(), tools: z.array(z.object({ name: z.string(), file: z.string() })) })),
});

/** Absolute path of the stub of `server`/`tool`, or undefined when the manifest doesn't list it. */
export async function locateStub(stubsDir: string, server: string, tool?: string): Promise<string | undefined> {
  const text = await readFile(path.join(stubsDir, 'manifest.json'), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = ManifestSchema.safeParse(json);
  if (!parsed.success) return undefined;
  const s = parsed.data.servers.find((x) => x.name === server);
  const rel = tool === undefined ? s?.file : s?.tools.find((t) => t.name === tool)?.file;
  if (!rel) return undefined;
  const abs = path.resolve(stubsDir, rel);
  // The manifest is outside input: never follow it out of the stubs folder.
  return abs.startsWith(path.resolve(stubsDir) + path.sep) ? abs : undefined;
}
