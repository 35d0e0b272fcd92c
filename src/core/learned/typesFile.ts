// The files of learned output types: `.toolweaver/learned-types.json` (what inference found, and what
// a person discarded; regenerated) and `.toolweaver/pinned-types.json` (what a person accepted: a
// reviewable file kept in the repo). Invariant: a file that does not parse is a ConfigError naming it,
// a missing file is an empty one, and writes are atomic with sorted keys (stable diffs).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../errors';
import { writeFileAtomic, makeDir } from '../fsAtomic';

export const LEARNED_TYPES_FILE = path.join('.toolweaver', 'learned-types.json');
export const PINNED_TYPES_FILE = path.join('.toolweaver', 'pinned-types.json');
export const TYPES_FILE_VERSION = 1 as const;

const EntrySchema = z.object({
  /** The inferred JSON Schema of the tool's results. */
  schema: z.record(z.string(), z.unknown()),
  calls: z.number().int().nonnegative(),
  /** YYYY-MM-DD of the inference. */
  date: z.string(),
  /** Learned file only: a person discarded it; re-inference keeps it discarded until Re-infer. */
  discarded: z.boolean().optional(),
});
export type TypesEntry = z.infer<typeof EntrySchema>;

export const TypesFileSchema = z.object({
  version: z.literal(TYPES_FILE_VERSION),
  /** Keyed `server/tool` (original names). */
  tools: z.record(z.string(), EntrySchema),
});
export type TypesFile = z.infer<typeof TypesFileSchema>;

/** `server/tool`: the key of a tool in a types file. */
export function typesKey(server: string, tool: string): string {
  return `${server}/${tool}`;
}

export function emptyTypesFile(): TypesFile {
  return { version: TYPES_FILE_VERSION, tools: {} };
}

/** Reads a types file; missing = empty. */
export async function readTypesFile(file: string): Promise<TypesFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return emptyTypesFile();
    throw new ConfigError('types_file_invalid', `Cannot read the output-types file ${file} (${(err as NodeJS.ErrnoException).code ?? String(err)}).`, { file, cause: err });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new ConfigError('types_file_invalid', `The output-types file ${file} is not JSON. Fix it, or delete it and run \`toolweaver types infer\` again.`, { file, cause: err });
  }
  const parsed = TypesFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError('types_file_invalid', `The output-types file ${file} is not valid (${issue?.path.join('.') || 'root'}: ${issue?.message ?? 'invalid'}). Fix it, or delete it and run \`toolweaver types infer\` again.`, { file });
  }
  return parsed.data;
}

/** Writes a types file atomically, keys sorted. */
export async function writeTypesFile(file: string, data: TypesFile): Promise<void> {
  const tools: TypesFile['tools'] = {};
  for (const k of Object.keys(data.tools).sort()) tools[k] = data.tools[k] as TypesEntry;
  await makeDir(path.dirname(file));
  await writeFileAtomic(file, `${JSON.stringify({ version: TYPES_FILE_VERSION, tools }, null, 2)}\n`);
}
