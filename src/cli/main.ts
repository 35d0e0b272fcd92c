// The `toolweaver` command line: dispatches to one command per file and maps typed errors to exit
// codes (1 usage, 2 catalog/config, 3 script failed, 70 internal bug).
import { parseArgs, formatFlags } from './args';
import { EXIT, type CliCommand, type CliIo } from './command';
import { CatalogError, ConfigError, UsageError } from '../core/errors';
import { catalogCommand } from './commands/catalog';
import { demoCommand } from './commands/demo';
import { demoServerCommand } from './commands/demoServer';
import { mcpCommand } from './commands/mcp';
import { stubsCommand } from './commands/stubs';
import { runCommand } from './commands/run';
import { tracesCommand } from './commands/traces';

const commands: CliCommand[] = [demoCommand, catalogCommand, demoServerCommand, mcpCommand, stubsCommand, runCommand, tracesCommand];

function help(io: CliIo): void {
  io.out('Usage: toolweaver <command> [options]\n\nCommands:');
  for (const c of commands) io.out(`  ${c.name.padEnd(10)} ${c.summary}`);
  io.out('\nRun `toolweaver <command> --help` for a command\'s options.');
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    help(io);
    return name ? EXIT.ok : EXIT.usage;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.err(`Unknown command "${name}".`);
    help(io);
    return EXIT.usage;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(`Usage: ${command.usage}\n\n${command.summary}\n\nOptions:\n${formatFlags(command.flags)}`);
    return EXIT.ok;
  }
  try {
    return await command.run(parseArgs(rest, command.flags), io);
  } catch (err) {
    if (UsageError.is(err)) {
      io.err(`Error: ${err.message}\nUsage: ${command.usage}`);
      return EXIT.usage;
    }
    if (ConfigError.is(err) || CatalogError.is(err)) {
      io.err(`Error: ${err.message}`);
      return EXIT.catalog;
    }
    io.err(`Internal error (a bug in ToolWeaver): ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return EXIT.internal;
  }
}

if (require.main === module) {
  const io: CliIo = {
    out: (t) => process.stdout.write(t + '\n'),
    err: (t) => process.stderr.write(t + '\n'),
    cwd: process.cwd(),
    env: process.env,
  };
  void runCli(process.argv.slice(2), io).then((code) => {
    process.exitCode = code;
  });
}
