// What a CLI command is. Commands live one per file in src/cli/commands and are listed in main.ts.
import type { FlagSpec, ParsedArgs } from './args';

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

/** Exit codes shared by every command: 2 covers configuration and files/ports (IoError) alike; 4 is an eval whose tasks ran but were wrong or moved from the baseline. */
export const EXIT = { ok: 0, usage: 1, catalog: 2, io: 2, scriptFailed: 3, evalFailed: 4, internal: 70 } as const;

export interface CliCommand {
  name: string;
  summary: string;
  usage: string;
  flags: FlagSpec;
  run(args: ParsedArgs, io: CliIo): Promise<number>;
}
