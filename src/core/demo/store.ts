// In-memory state of one demo server (or of one demo-server process shared by its HTTP sessions):
// the generated records plus indexes, paging helpers and the counters of the demo-only tools.
import { generateDemoData, type DemoData, type DemoDataOptions } from './data';
import type { Customer, Order, Ticket } from './schemas';

/** Mutable state behind the demo tools. Mutations (update, note, delete) only touch this store. */
export interface DemoStore {
  readonly data: DemoData;
  readonly customersById: Map<string, Customer>;
  readonly ordersById: Map<string, Order>;
  readonly ticketsById: Map<string, Ticket>;
  /** Calls seen by flaky_lookup, per key. */
  flakyCalls: Map<string, number>;
  /** Emails "sent" by send_email (simulated; nothing leaves the process). */
  outbox: { messageId: string; to: string[]; subject: string; queuedAt: string }[];
  /** Sequence for generated ids (notes, messages). */
  nextSeq(): number;
  /** Clock for mutation timestamps; tests may pass a fixed one. */
  now(): Date;
}

/** Data-set options plus the clock used for mutation timestamps. */
export interface DemoStoreOptions extends DemoDataOptions {
  now?: () => Date;
}

/** A store whose data set is generated and indexed lazily, on the first tool call that reads it. */
export function createDemoStore(opts: DemoStoreOptions = {}): DemoStore {
  // Generated on first use, so listing the tools (catalogs, stubs) never pays for the records.
  let indexed: Pick<DemoStore, 'data' | 'customersById' | 'ordersById' | 'ticketsById'> | undefined;
  const load = (): NonNullable<typeof indexed> => {
    if (indexed) return indexed;
    const data = generateDemoData(opts);
    indexed = {
      data,
      customersById: new Map(data.customers.map((c) => [c.id, c])),
      ordersById: new Map(data.orders.map((o) => [o.id, o])),
      ticketsById: new Map(data.tickets.map((t) => [t.id, t])),
    };
    return indexed;
  };
  let seq = 0;
  return {
    get data() {
      return load().data;
    },
    get customersById() {
      return load().customersById;
    },
    get ordersById() {
      return load().ordersById;
    },
    get ticketsById() {
      return load().ticketsById;
    },
    flakyCalls: new Map(),
    outbox: [],
    nextSeq: () => ++seq,
    now: opts.now ?? (() => new Date()),
  };
}

/** Opaque cursor: the list it belongs to and the offset of the next page. */
export function encodeCursor(list: string, offset: number): string {
  return Buffer.from(`${list}:${offset}`, 'utf8').toString('base64url');
}

/** Offset of a cursor, or undefined when the cursor is not one of ours for this list. */
export function decodeCursor(list: string, cursor: string): number | undefined {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const [name, offset] = text.split(':');
  const n = Number(offset);
  return name === list && Number.isInteger(n) && n >= 0 ? n : undefined;
}

/** One page of `items` starting at `offset`, with the cursor of the next page when there is one. */
export function page<T>(list: string, items: T[], offset: number, limit: number): { items: T[]; nextCursor?: string } {
  const slice = items.slice(offset, offset + limit);
  const next = offset + limit;
  return next < items.length ? { items: slice, nextCursor: encodeCursor(list, next) } : { items: slice };
}

/** Parses an ISO date or date-time filter; undefined input stays undefined, bad input is NaN. */
export function parseTime(value: string | undefined): number | undefined {
  return value === undefined ? undefined : Date.parse(value);
}

/** True when `iso` lies in [from, to). */
export function inRange(iso: string, from: number | undefined, to: number | undefined): boolean {
  const t = Date.parse(iso);
  return (from === undefined || t >= from) && (to === undefined || t < to);
}
