// The `toolweaver` command line: dispatches to one command per file and maps typed errors to exit
// codes (1 usage, 2 catalog/config/IO, 3 script failed, 4 eval failed, 70 internal bug). Ordinary user errors are a
// message, never a stack trace; under --json every error is still exactly one JSON object on stdout.
import { parseArgs, formatFlags } from './args';
import { EXIT, type CliCommand, type CliIo } from './command';
import { CatalogError, ConfigError, IoError, systemErrorCode, UsageError } from '../core/errors';
import { installSignalHandlers } from './shutdown';
import { catalogCommand } from './commands/catalog';
import { demoCommand } from './commands/demo';
import { demoServerCommand } from './commands/demoServer';
import { evalCommand } from './commands/eval';
import { mcpCommand } from './commands/mcp';
import { stubsCommand } from './commands/stubs';
import { replayCommand } from './commands/replay';
import { runCommand } from './commands/run';
import { skillsCommand } from './commands/skills';
import { tracesCommand } from './commands/traces';
import { typesCommand } from './commands/types';

const commands: CliCommand[] = [demoCommand, catalogCommand, demoServerCommand, mcpCommand, stubsCommand, runCommand, replayCommand, skillsCommand, evalCommand, tracesCommand, typesCommand];

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
  const json = rest.includes('--json');
  const fail = (exit: number, name: string, code: string, message: string, detail = message): number => {
    if (json) io.out(JSON.stringify({ ok: false, error: { name, code, message } }));
    io.err(detail);
    return exit;
  };
  try {
    return await command.run(parseArgs(rest, command.flags), io);
  } catch (err) {
    if (UsageError.is(err)) return fail(EXIT.usage, err.name, err.code, err.message, `Error: ${err.message}\nUsage: ${command.usage}`);
    if (ConfigError.is(err) || CatalogError.is(err) || IoError.is(err)) return fail(EXIT.catalog, err.name, err.code, err.message, `Error: ${err.message}`);
    // A file or port problem nobody wrapped: Node's own message names the path and the cause.
    const sys = systemErrorCode(err);
    if (sys && err instanceof Error) return fail(EXIT.io, 'IoError', sys, err.message, `Error: ${err.message}`);
    const text = err instanceof Error ? (err.stack ?? err.message) : String(err);
    return fail(EXIT.internal, 'InternalError', 'internal', String(err), `Internal error (a bug in ToolWeaver): ${text}`);
  }
}

/** Wires the real process: quiet EPIPE, signals, and a last word for bugs that escape a command. */
function main(): void {
  let stdoutGone = false;
  let stderrGone = false;
  // A reader that went away (`toolweaver run --json | head`) is not an error: stop writing to it.
  process.stdout.on('error', () => {
    stdoutGone = true;
  });
  process.stderr.on('error', () => {
    stderrGone = true;
  });
  const io: CliIo = {
    out: (t) => void (stdoutGone || process.stdout.write(t + '\n')),
    err: (t) => void (stderrGone || process.stderr.write(t + '\n')),
    cwd: process.cwd(),
    env: process.env,
  };
  installSignalHandlers();
  process.on('uncaughtException', (err) => {
    io.err(`Internal error (a bug in ToolWeaver): ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    // process.exit runs the 'exit' hook that ends the servers this process started.
    process.exit(EXIT.internal);
  });
  void runCli(process.argv.slice(2), io).then((code) => {
    process.exitCode = code;
  });
}

if (require.main === module) main();
