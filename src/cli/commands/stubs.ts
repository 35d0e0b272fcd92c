// `toolweaver stubs`: loads the catalog (like `catalog`) and writes the typed stub tree into --out,
// incrementally. Prints servers, tools, files written/unchanged/deleted and the milliseconds taken.
import path from 'node:path';
import { bool, str, type ParsedArgs } from '../args';
import { EXIT, type CliCommand, type CliIo } from '../command';
import { UsageError } from '../../core/errors';
import { ensureSkillsDeclarationFile, SKILLS_DECLARATIONS_PATH } from '../../core/skills/declarations';
import { writeStubs } from '../../core/stubs/writeStubs';
import { CATALOG_FLAGS, describeFailures, loadCatalogFromArgs } from './catalog';

export const stubsCommand: CliCommand = {
  name: 'stubs',
  summary: 'Generate typed TypeScript stubs for every tool of the catalog',
  usage: 'toolweaver stubs [--config FILE | --catalog FILE] [--openapi NAME=SPEC ...] --out DIR [--input id=value ...] [--json]',
  flags: {
    ...CATALOG_FLAGS,
    out: { kind: 'string', help: 'folder for the stubs (created if missing; only generated files are ever replaced or deleted)' },
    json: { kind: 'boolean', help: 'print the report as JSON on stdout' },
  },
  async run(args: ParsedArgs, io: CliIo): Promise<number> {
    if (args.positionals.length > 0) throw new UsageError(`Unexpected argument "${args.positionals[0]}".`);
    const outArg = str(args, 'out');
    if (!outArg) throw new UsageError('Missing --out DIR: the folder to write the stubs into.');
    const outDir = path.resolve(io.cwd, outArg);
    const t0 = performance.now();
    const loaded = await loadCatalogFromArgs(args, io);
    try {
      const { catalog } = loaded;
      const loadMs = performance.now() - t0;
      const failures = describeFailures(catalog);
      // Writing an all-failed catalog would delete every stub of servers that are merely down.
      if (catalog.servers.length > 0 && failures.length === catalog.servers.length) {
        io.err(`Error: no server could be reached, so no stubs were written:\n  ${failures.join('\n  ')}`);
        return EXIT.catalog;
      }
      for (const f of failures) io.err(`Warning: ${f} (its stubs list no tools until it is reachable again)`);
      // Like the editor's stubs: tools.d.ts references skills.d.ts (declaring no skills until the editor writes them).
      const report = await writeStubs(catalog, outDir, { references: [SKILLS_DECLARATIONS_PATH] });
      await ensureSkillsDeclarationFile(outDir);
      const toolCount = catalog.servers.reduce((n, s) => n + s.tools.length, 0);
      if (bool(args, 'json')) {
        io.out(JSON.stringify({ outDir, catalogId: catalog.id, servers: catalog.servers.length, tools: toolCount, loadMs: Math.round(loadMs), ...report }, null, 2));
        return EXIT.ok;
      }
      io.out(`Stubs for catalog ${catalog.id} → ${outDir}`);
      const width = Math.max(6, ...catalog.servers.map((s) => s.name.length));
      for (const s of catalog.servers) {
        const state = s.status.state === 'error' ? `  (error: ${s.status.code})` : '';
        io.out(`  ${s.name.padEnd(width)}  tools.${s.ident}  ${s.tools.length} tool(s)${state}`);
      }
      io.out(`${catalog.servers.length} server(s), ${toolCount} tool(s); catalog loaded in ${Math.round(loadMs)} ms`);
      for (const d of report.deleted) io.out(`  deleted ${d}`);
      io.out(`Files: ${report.written.length} written, ${report.unchanged.length} unchanged, ${report.deleted.length} deleted in ${report.ms} ms`);
      io.out(`Scripts in that folder type-check against ${path.join(outArg, 'tools.d.ts')} (tsconfig.json included).`);
      return EXIT.ok;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException | undefined)?.code;
      // An unwritable or odd --out folder is a usage problem, not a ToolWeaver bug.
      if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) {
        throw new UsageError(`Could not write the stubs to ${outDir}: ${(err as Error).message}. Choose a writable --out folder.`);
      }
      throw err;
    } finally {
      await loaded.close();
    }
  },
};
