// The stubs' manifest.json: one zod schema that is its format, its validation and its type.
// Invariant: renderStubs writes a StubManifest and every reader (agents' stub text, the extension's
// stub locator) parses with parseStubManifest, so a hand-edited or stale file is a typed error
// naming the file, never a cast.
import { z } from 'zod';
import { ConfigError } from '../errors';

/** The manifest's path inside the stubs folder. */
export const STUB_MANIFEST_FILE = 'manifest.json';

const ManifestToolSchema = z.object({
  name: z.string(),
  ident: z.string(),
  /** Path of the tool's stub file, relative to the stubs folder. */
  file: z.string(),
  description: z.string().optional(),
  readOnly: z.literal(true).optional(),
  destructive: z.literal(true).optional(),
  /** Schema parts printed as `unknown` (see the comments in the tool file). */
  schemaWarnings: z.array(z.string()).optional(),
});

const ManifestServerSchema = z.object({
  name: z.string(),
  ident: z.string(),
  status: z.enum(['connected', 'offline', 'error']),
  /** Path of the server's index.ts, relative to the stubs folder. */
  file: z.string(),
  toolCount: z.number().int().min(0),
  tools: z.array(ManifestToolSchema),
});

export const StubManifestSchema = z.object({
  $comment: z.string().optional(),
  catalogId: z.string(),
  globals: z.string(),
  servers: z.array(ManifestServerSchema),
});

export type StubManifest = z.infer<typeof StubManifestSchema>;
export type StubManifestServer = z.infer<typeof ManifestServerSchema>;
export type StubManifestTool = z.infer<typeof ManifestToolSchema>;

/**
 * Parses manifest.json text. Throws ConfigError `stubs_manifest_invalid` naming `file` (and the
 * first bad field) when it is not JSON or not a manifest; regenerating the stubs fixes both.
 */
export function parseStubManifest(text: string, file: string): StubManifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ConfigError('stubs_manifest_invalid', `The stubs manifest ${file} is not valid JSON. Regenerate the stubs (toolweaver stubs, or ToolWeaver: Generate Stubs).`, { file, cause: err });
  }
  const parsed = StubManifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') || undefined;
    throw new ConfigError(
      'stubs_manifest_invalid',
      `The stubs manifest ${file} is not a ToolWeaver manifest${field ? ` (${field}: ${issue?.message})` : ''}. Regenerate the stubs (toolweaver stubs, or ToolWeaver: Generate Stubs).`,
      { file, field, cause: parsed.error },
    );
  }
  return parsed.data;
}
