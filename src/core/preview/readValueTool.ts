// The read_value tool as every surface declares it: one name, one description and one zod input
// schema. Invariant: the MCP server, the VS Code LM tool (named toolweaver_read_value, declared in
// package.json's languageModelTools from READ_VALUE_TOOL.inputJsonSchema()) and the token account all
// derive from this const; the unified code-mode tool module will absorb it later.
import { z } from 'zod';
import { DEFAULT_PREVIEW_CHARS, MIN_PREVIEW_CHARS } from './previewValue';
import { groupDigits } from './words';

/** Largest page a model may ask for; bigger values are paged. */
export const MAX_READ_CHARS = 50_000;

const inputShape = {
  path: z
    .string()
    .min(1)
    .max(4096)
    .describe('Path into the value, as in the markers: $ (whole value), $.customers, $.customers[12].notes, $["key with spaces"].'),
  offset: z.number().int().min(0).optional().describe('First item (array), key (object) or character (string) to return; the offset a marker or "Next" names. Default 0.'),
  limit: z.number().int().min(1).optional().describe('Most items/keys/characters to return. Default: as many as fit.'),
  runId: z.string().min(1).max(200).optional().describe('The run whose value to read. Default: the last run.'),
  maxChars: z
    .number()
    .int()
    .min(MIN_PREVIEW_CHARS)
    .max(MAX_READ_CHARS)
    .optional()
    .describe(`Most characters of the page (default ${groupDigits(DEFAULT_PREVIEW_CHARS)}).`),
};

const inputSchema = z.object(inputShape).strict();

/** What read_value accepts, after validation. */
export type ReadValueInput = z.infer<typeof inputSchema>;

/**
 * The read_value tool. MCP: `server.registerTool(READ_VALUE_TOOL.name, { description, inputSchema:
 * READ_VALUE_TOOL.inputShape, annotations: READ_VALUE_TOOL.annotations }, handler)`. VS Code: the LM tool
 * `toolweaver_read_value` with `inputJsonSchema()` in package.json, and `inputSchema.safeParse(options.input)`
 * in invoke (its input is not validated by VS Code).
 */
export const READ_VALUE_TOOL = {
  name: 'read_value',
  /** The VS Code LM tool's name (its markers and notes use this name there: pass it as readTool). */
  lmToolName: 'toolweaver_read_value',
  title: 'Read more of a value',
  description:
    'Read a part of a value that a previous run_code reply cut to fit. A cut value is still valid JSON; each left-out part is ' +
    'a string marker like "«… 980 more items (1,000 in all): read_value $.customers offset 20»" or ' +
    '"«… object, 12 keys: read_value $.orders[3]»". Pass the marker\'s path and offset to get that part, in pages: ' +
    'arrays by items, objects by keys, strings by characters; each reply says how to get the next page. ' +
    'The values of the last runs are kept; the last run is read unless runId is given. ' +
    'Prefer returning only what you need from run_code; use this to look at parts you did not expect to need.',
  inputShape,
  inputSchema,
  annotations: { readOnlyHint: true, openWorldHint: false },
  /** JSON Schema of the input (for package.json's languageModelTools and the token account). */
  inputJsonSchema,
} as const;

/** The input's JSON Schema without what only costs tokens ($schema, the safe-integer maximums zod adds). */
function inputJsonSchema(): Record<string, unknown> {
  const { $schema: _schema, ...schema } = z.toJSONSchema(inputSchema) as Record<string, unknown>;
  for (const prop of Object.values(schema.properties as Record<string, Record<string, unknown>>)) {
    if (prop.maximum === Number.MAX_SAFE_INTEGER) delete prop.maximum;
  }
  return schema;
}
