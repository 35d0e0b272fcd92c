// The pricing flags of `run` (--prices FILE, --model NAME): which model's prices the account's
// dollar figures use. Invariant: a bad file or an unknown model is a ConfigError before anything runs.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { str, type FlagSpec, type ParsedArgs } from './args';
import type { CliIo } from './command';
import { ConfigError } from '../core/errors';
import { DEFAULT_MODEL, parsePriceTable, PRICES_AS_OF, resolvePricing, type PriceTable, type Pricing } from '../core/account/prices';

/** The flags; `run` adds them to its own. */
export const PRICING_FLAGS: FlagSpec = {
  prices: { kind: 'string', help: 'price table for the dollar figures, JSON { "model": { "input", "output", "cacheWrite"?, "cacheRead"? } } in $ per million tokens, over the defaults (as of ' + PRICES_AS_OF + ')' },
  model: { kind: 'string', help: `model whose prices the dollar figures use (default ${DEFAULT_MODEL})` },
};

/** Reads --prices FILE (when given) and picks --model from it or the defaults. */
export async function pricingFromArgs(args: ParsedArgs, io: CliIo): Promise<Pricing> {
  const file = str(args, 'prices');
  let table: PriceTable | undefined;
  if (file !== undefined) {
    const where = path.resolve(io.cwd, file);
    let text: string;
    try {
      text = await readFile(where, 'utf8');
    } catch (err) {
      throw new ConfigError('config_unreadable', `Cannot read the price table ${where}: ${(err as NodeJS.ErrnoException).code ?? String(err)}. Check the --prices path.`, { cause: err, file: where });
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text) as unknown;
    } catch (err) {
      throw new ConfigError('prices_invalid', `The price table ${where} is not JSON: ${(err as Error).message}.`, { cause: err, file: where });
    }
    table = parsePriceTable(raw, where);
  }
  return resolvePricing(str(args, 'model'), table);
}
