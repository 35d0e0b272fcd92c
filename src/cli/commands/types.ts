// `toolweaver types infer|accept|discard|show`: output types learned from the results recorded in
// traces, for tools that declare no outputSchema. `infer` updates .toolweaver/learned-types.json and
// prints each type; `accept SERVER/TOOL` pins one into .toolweaver/pinned-types.json (kept in the repo);
// `discard SERVER/TOOL` drops it until the next `infer --reinfer`. Stubs and the type check use them.
import path from 'node:path';
import { bool, str, type FlagSpec } from '../args';
import { EXIT, type CliCommand } from '../command';
import { UsageError } from '../../core/errors';
import { discardType, inferWorkspaceTypes, loadTypesFiles, pinType } from '../../core/learned/learnTypes';
import { LEARNED_TYPES_FILE, PINNED_TYPES_FILE, type TypesEntry } from '../../core/learned/typesFile';
import { schemaToTs } from '../../core/stubs/jsonSchemaToTs';
import { pascalCase } from '../../core/stubs/typeNames';
import { createTraceStore, DEFAULT_TRACE_DIR } from '../../core/trace/store';

const flags: FlagSpec = {
  server: { kind: 'string', help: 'infer: only this server\'s tools' },
  tool: { kind: 'string', help: 'infer: only this tool (with --server)' },
  reinfer: { kind: 'boolean', help: 'infer: also re-infer types that were discarded' },
  'trace-dir': { kind: 'string', help: `trace directory (default: ${DEFAULT_TRACE_DIR} under the current directory)` },
  json: { kind: 'boolean', help: 'print JSON' },
};

function typeText(key: string, e: TypesEntry): string {
  const name = `${pascalCase(key.replace('/', ' '))}Output`;
  return schemaToTs(e.schema, { name, rootDoc: [`${key}: inferred from ${e.calls} call${e.calls === 1 ? '' : 's'} (${e.date})`] }).code;
}

export const typesCommand: CliCommand = {
  name: 'types',
  summary: 'Output types learned from recorded results, for tools without an outputSchema',
  usage: 'toolweaver types infer [--server S [--tool T]] [--reinfer] [--trace-dir DIR] [--json] | accept SERVER/TOOL | discard SERVER/TOOL | show [--json]',
  flags,
  async run(args, io) {
    const [sub, key, ...extra] = args.positionals;
    if (extra.length) throw new UsageError(`Unexpected argument "${extra[0]}".`);
    const json = bool(args, 'json');
    switch (sub) {
      case 'infer': {
        if (key !== undefined) throw new UsageError(`Unexpected argument "${key}".`);
        const server = str(args, 'server');
        const tool = str(args, 'tool');
        if (tool !== undefined && server === undefined) throw new UsageError('--tool needs --server.');
        const store = createTraceStore({ dir: path.resolve(io.cwd, str(args, 'trace-dir') ?? DEFAULT_TRACE_DIR) });
        const { learned } = await loadTypesFiles(io.cwd);
        const reinfer = bool(args, 'reinfer') ? new Set(Object.keys(learned.tools)) : undefined;
        const entries = await inferWorkspaceTypes({ store, cwd: io.cwd, server, tool, reinfer });
        const { learned: after } = await loadTypesFiles(io.cwd);
        const kept = [...entries].filter(([k]) => !after.tools[k]?.discarded);
        if (json) {
          io.out(JSON.stringify({ file: path.join(io.cwd, LEARNED_TYPES_FILE), tools: Object.fromEntries(kept) }));
          return EXIT.ok;
        }
        if (kept.length === 0) {
          io.out(`No recorded results to learn from in ${store.dir}${server ? ` for server "${server}"` : ''}. Run scripts that call the tools first.`);
          return EXIT.ok;
        }
        for (const [k, e] of kept) io.out(typeText(k, e));
        io.err(`Learned ${kept.length} output type(s) into ${LEARNED_TYPES_FILE}; tools that declare an outputSchema keep theirs. Accept one with \`toolweaver types accept SERVER/TOOL\` (pins it in ${PINNED_TYPES_FILE}).`);
        return EXIT.ok;
      }
      case 'accept': {
        if (!key) throw new UsageError('Name the tool: toolweaver types accept SERVER/TOOL.');
        if (!(await pinType(io.cwd, key))) throw new UsageError(`No learned type for "${key}" in ${LEARNED_TYPES_FILE}. Run \`toolweaver types infer\` first.`);
        io.err(`Pinned the output type of ${key} in ${PINNED_TYPES_FILE}.`);
        return EXIT.ok;
      }
      case 'discard': {
        if (!key) throw new UsageError('Name the tool: toolweaver types discard SERVER/TOOL.');
        await discardType(io.cwd, key);
        io.err(`Discarded the output type of ${key} (\`toolweaver types infer --reinfer\` learns it again).`);
        return EXIT.ok;
      }
      case 'show': {
        const files = await loadTypesFiles(io.cwd);
        if (json) io.out(JSON.stringify(files));
        else {
          for (const [k, e] of Object.entries(files.pinned.tools)) io.out(`${k}  pinned   ${e.calls} calls  ${e.date}`);
          for (const [k, e] of Object.entries(files.learned.tools)) if (!files.pinned.tools[k]) io.out(`${k}  ${e.discarded ? 'discarded' : 'learned '}  ${e.calls} calls  ${e.date}`);
        }
        return EXIT.ok;
      }
      default:
        throw new UsageError(sub ? `Unknown subcommand "${sub}": use infer, accept, discard or show.` : 'Use types infer, types accept SERVER/TOOL, types discard SERVER/TOOL or types show.');
    }
  },
};
