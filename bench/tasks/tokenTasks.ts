// The eval suite of the token bench: fixed reference scripts (what a model would write; no LLM
// involved) against the demo CRM and the real reference servers, each with the catalog a user would
// configure for it and a check computed independently of the run (from the demo's data module or the
// files on disk). `__FS_ROOT__` is the filesystem server's allowed directory. Keep each script honest:
// return only what the user asked for, and page through data only where the catalog has no tool that
// answers directly (the classic path is the best the catalog allows).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { generateDemoData, isOpenTicket, isRevenueOrder, type DemoData } from '../../src/core/demo/data';
import type { EvalTask } from '../../src/core/eval/task';

export type TaskKind = 'data-heavy' | 'fan-out' | 'chain' | 'dag' | 'retry' | 'read-all' | 'single-call' | 'image' | 'failed-run';

export interface TokenTask extends EvalTask {
  kind: TaskKind;
  description: string;
  /** Code mode should cost more here (one small call, a one-tool catalog, an image): the bench fails
   *  unless the account flags it (codeModeCostMore). */
  shouldLose?: boolean;
  /** Which catalog the classic path has, for the table: why it is the best classic can do. */
  classicPath: string;
}

/** What the checks compare with: the demo's own data and the log files the bench wrote. */
export interface TaskEnv {
  fsRoot: string;
  logFiles: string[];
  data?: DemoData;
}

const eq = (a: unknown, b: unknown): true | string => (JSON.stringify(a) === JSON.stringify(b) ? true : `expected ${JSON.stringify(b).slice(0, 300)}, got ${JSON.stringify(a).slice(0, 300)}`);

/** The credit score of flaky_lookup (src/core/demo/writeTools.ts), recomputed here on purpose. */
function tierOf(key: string): string {
  let h = 2166136261;
  for (const ch of key) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  const score = 300 + (h % 551);
  return score < 580 ? 'poor' : score < 670 ? 'fair' : score < 740 ? 'good' : 'excellent';
}

const READ_IDS = Array.from({ length: 15 }, (_, i) => `ord_${String(i * 331 + 7).padStart(5, '0')}`);
const READ_IDS_SRC = JSON.stringify(READ_IDS);
const byNewest = (a: { createdAt: string; id: string }, b: { createdAt: string; id: string }) => (a.createdAt === b.createdAt ? (a.id < b.id ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1);

/** The suite. Checks read `env` lazily, when they run. */
export function tokenTasks(env: TaskEnv): TokenTask[] {
  const data = () => (env.data ??= generateDemoData());
  const ordersById = () => new Map(data().orders.map((o) => [o.id, o]));
  return [
    {
      name: 'orders-revenue',
      kind: 'data-heavy',
      description: 'Revenue per order status over all 5,000 orders (50 pages).',
      tools: ['demo.list_orders', 'demo.get_order'],
      classicPath: 'catalog without aggregate_revenue (a user who configured list/get only): classic pages too',
      script: `
let cursor: string | undefined;
const byStatus: Record<string, number> = {};
let count = 0;
do {
  const page = await tools.demo.list_orders({ limit: 100, cursor });
  for (const o of page.orders) {
    byStatus[o.status] = (byStatus[o.status] ?? 0) + o.total;
    count++;
  }
  cursor = page.nextCursor;
} while (cursor);
return { orders: count, revenueByStatus: Object.fromEntries(Object.entries(byStatus).sort().map(([k, v]) => [k, Math.round(v)])) };
`,
      check: (v) => {
        const by: Record<string, number> = {};
        for (const o of data().orders) by[o.status] = (by[o.status] ?? 0) + o.total;
        return eq(v, { orders: data().orders.length, revenueByStatus: Object.fromEntries(Object.entries(by).sort().map(([k, x]) => [k, Math.round(x)])) });
      },
    },
    {
      name: 'top-customers',
      kind: 'data-heavy',
      description: 'The 5 customers with the highest lifetime value among all 2,000 (20 pages).',
      tools: ['demo.list_customers', 'demo.get_customer'],
      classicPath: 'catalog without search_customers (whose sortBy would answer in one call): classic pages too',
      script: `
const all = [];
let cursor: string | undefined;
do {
  const page = await tools.demo.list_customers({ limit: 100, cursor });
  all.push(...page.customers);
  cursor = page.nextCursor;
} while (cursor);
return all
  .sort((a, b) => b.lifetimeValue - a.lifetimeValue)
  .slice(0, 5)
  .map((c) => ({ id: c.id, name: c.name, lifetimeValue: c.lifetimeValue }));
`,
      check: (v) => eq(v, [...data().customers].sort((a, b) => b.lifetimeValue - a.lifetimeValue).slice(0, 5).map((c) => ({ id: c.id, name: c.name, lifetimeValue: c.lifetimeValue }))),
    },
    {
      name: 'open-tickets-fanout',
      kind: 'fan-out',
      description: 'Open tickets of 30 given customers (30 parallel lookups).',
      tools: ['demo.get_customer', 'demo.list_tickets'],
      classicPath: 'one turn of 30 parallel get_customer calls',
      script: `
const ids = Array.from({ length: 30 }, (_, i) => 'cus_' + String(i * 61 + 1).padStart(4, '0'));
const rows = await map(ids, (id) => tools.demo.get_customer({ customerId: id, include: ['tickets'] }), { concurrency: 30 });
return rows
  .map((r) => ({ id: r.customer.id, open: (r.openTickets ?? []).length }))
  .filter((r) => r.open > 0);
`,
      check: (v) => {
        const ids = Array.from({ length: 30 }, (_, i) => 'cus_' + String(i * 61 + 1).padStart(4, '0'));
        return eq(v, ids.map((id) => ({ id, open: data().tickets.filter((t) => t.customerId === id && isOpenTicket(t)).length })).filter((r) => r.open > 0));
      },
    },
    {
      name: 'customer-chain',
      kind: 'chain',
      description: 'The most valuable customer matching "a" (name, email, city, contacts), their latest order with its items, and their open tickets.',
      servers: ['demo'],
      classicPath: 'the demo catalog; 3 dependent turns',
      script: `
const found = await tools.demo.search_customers({ query: 'a', sortBy: 'lifetimeValue', order: 'desc', limit: 1 });
const cus = found.customers[0];
const detail = await tools.demo.get_customer({ customerId: cus.id, include: ['orders'] });
const latest = detail.recentOrders?.[0];
const order = latest ? await tools.demo.get_order({ orderId: latest.id }) : undefined;
const tickets = await tools.demo.list_tickets({ customerId: cus.id, status: ['open', 'in_progress', 'waiting_on_customer'], limit: 20 });
return {
  customer: cus.id,
  latestOrder: order && { id: order.order.id, total: order.order.total, items: order.order.items.length },
  openTickets: tickets.total,
};
`,
      check: (v) => {
        const x = v as { customer: string };
        const d = data();
        const best = d.customers.filter((c) => JSON.stringify([c.name, c.email, c.address.city, c.contacts]).toLowerCase().includes('a')).sort((a, b) => b.lifetimeValue - a.lifetimeValue)[0];
        if (!best || x.customer !== best.id) return `expected customer ${best?.id}, got ${x.customer}`;
        const latest = d.orders.filter((o) => o.customerId === best.id).sort(byNewest)[0];
        return eq(v, {
          customer: best.id,
          latestOrder: latest && { id: latest.id, total: latest.total, items: latest.items.length },
          openTickets: d.tickets.filter((t) => t.customerId === best.id && isOpenTicket(t)).length,
        });
      },
    },
    {
      name: 'support-dashboard-dag',
      kind: 'dag',
      description: 'A dashboard: revenue by region, ticket stats, agents; then the best region’s top customers and the urgent open tickets (two levels).',
      servers: ['demo'],
      classicPath: 'the demo catalog; classic calls the same aggregates (2 waves)',
      script: `
const r = await dag({
  revenue: () => tools.demo.aggregate_revenue({ groupBy: 'region' }),
  stats: () => tools.demo.ticket_stats({ groupBy: 'priority' }),
  agents: () => tools.demo.list_agents({}),
  top: {
    deps: ['revenue'],
    run: ({ revenue }) => {
      const best = [...revenue.groups].sort((a, b) => b.revenue - a.revenue)[0];
      return tools.demo.search_customers({ filters: { region: [best.key] }, sortBy: 'lifetimeValue', order: 'desc', limit: 10 });
    },
  },
  urgent: { deps: ['stats'], run: () => tools.demo.list_tickets({ priority: ['urgent'], status: ['open'], limit: 50 }) },
});
return {
  bestRegion: [...r.revenue.groups].sort((a, b) => b.revenue - a.revenue)[0].key,
  topCustomers: r.top.customers.map((c) => c.id),
  urgentOpen: r.urgent.total,
  agents: r.agents.agents.length,
};
`,
      check: (v) => {
        const d = data();
        const region = new Map(d.customers.map((c) => [c.id, c.region]));
        const rev: Record<string, number> = {};
        for (const o of d.orders) if (isRevenueOrder(o)) rev[region.get(o.customerId) as string] = (rev[region.get(o.customerId) as string] ?? 0) + o.total;
        const best = Object.entries(rev).sort((a, b) => b[1] - a[1])[0]?.[0];
        return eq(v, {
          bestRegion: best,
          topCustomers: d.customers.filter((c) => c.region === best).sort((a, b) => b.lifetimeValue - a.lifetimeValue).slice(0, 10).map((c) => c.id),
          urgentOpen: d.tickets.filter((t) => t.priority === 'urgent' && t.status === 'open').length,
          agents: d.agents.length,
        });
      },
    },
    {
      name: 'flaky-retry',
      kind: 'retry',
      description: 'Credit tiers of 8 customers from a flaky service (2 failures per key, retried).',
      tools: ['demo.flaky_lookup'],
      classicPath: 'one-tool catalog; retries are extra turns (3 waves)',
      script: `
const keys = Array.from({ length: 8 }, (_, i) => 'cus_' + String(i + 1).padStart(4, '0'));
const scores = await map(keys, (key) => retry(() => tools.demo.flaky_lookup({ key, failures: 2 }), { attempts: 4, baseMs: 5, jitter: false }));
return scores.map((s) => ({ key: s.key, tier: s.tier }));
`,
      check: (v) => eq(v, Array.from({ length: 8 }, (_, i) => 'cus_' + String(i + 1).padStart(4, '0')).map((key) => ({ key, tier: tierOf(key) }))),
    },
    {
      name: 'memory-graph',
      kind: 'chain',
      description: 'Build a 20-person knowledge graph in the memory server, relate it, and count what a search finds.',
      servers: ['memory'],
      classicPath: 'server-memory alone (9 tools)',
      script: `
const people = Array.from({ length: 20 }, (_, i) => ({
  name: 'person_' + i,
  entityType: 'person',
  observations: ['works in team ' + (i % 4), 'joined in ' + (2015 + (i % 8)), 'speaks ' + ['English', 'French', 'Hindi', 'Spanish'][i % 4]],
}));
await tools.memory.create_entities({ entities: people });
await tools.memory.create_relations({
  relations: people.slice(1).map((p, i) => ({ from: p.name, to: people[i].name, relationType: 'reports_to' })),
});
const found = await tools.memory.search_nodes({ query: 'team 2' });
const graph = await tools.memory.read_graph({});
return { matches: found.entities.length, entities: graph.entities.length, relations: graph.relations.length };
`,
      check: (v) => eq(v, { matches: 5, entities: 20, relations: 19 }),
    },
    {
      name: 'log-scan-fs',
      kind: 'fan-out',
      description: 'Count ERROR lines across 40 log files (search, then 40 parallel reads) with server-filesystem.',
      tools: ['filesystem.search_files', 'filesystem.read_text_file', 'filesystem.list_directory'],
      classicPath: 'filesystem search + read tools; 2 waves (search, then 40 parallel reads)',
      script: `
const found = await tools.filesystem.search_files({ path: '__FS_ROOT__', pattern: '**/*.log' });
const text: string = typeof found === 'string' ? found : found.content;
const files = text.split('\\n').map((l) => l.trim()).filter((l) => l.endsWith('.log'));
const contents = await map(files, (path) => tools.filesystem.read_text_file({ path }), { concurrency: 40 });
const errors = contents.map((c) => (typeof c === 'string' ? c : c.content ?? JSON.stringify(c)).split('\\n').filter((l) => l.includes('ERROR')).length);
return { files: files.length, errorLines: errors.reduce((a, b) => a + b, 0) };
`,
      check: (v) => eq(v, { files: env.logFiles.length, errorLines: env.logFiles.reduce((n, f) => n + readFileSync(f, 'utf8').split('\n').filter((l) => l.includes('ERROR')).length, 0) }),
    },
    {
      name: 'sum-fanout-everything',
      kind: 'fan-out',
      description: 'Add 25 pairs of numbers with server-everything’s get-sum (25 parallel calls).',
      servers: ['everything'],
      classicPath: 'server-everything alone; one turn of 25 parallel calls',
      script: `
const pairs = Array.from({ length: 25 }, (_, i) => [i, i * 3]);
const sums = await Promise.all(pairs.map(([a, b]) => tools.everything.get_sum({ a, b })));
return sums.map((s) => Number(/(-?\\d+(?:\\.\\d+)?)\\D*$/.exec(JSON.stringify(s))?.[1]));
`,
      check: (v) => eq(v, Array.from({ length: 25 }, (_, i) => i * 4)),
    },
    {
      name: 'reads-serial',
      kind: 'fan-out',
      description: 'Totals of 15 given orders, written as a serial for…await loop.',
      servers: ['demo'],
      classicPath: 'the demo catalog; one turn of 15 parallel calls whatever the script style',
      script: `
const totals: Record<string, number> = {};
for (const id of ${READ_IDS_SRC}) {
  const { order } = await tools.demo.get_order({ orderId: id });
  totals[id] = order.total;
}
return totals;
`,
      check: (v) => eq(v, Object.fromEntries(READ_IDS.map((id) => [id, ordersById().get(id)?.total]))),
    },
    {
      name: 'reads-parallel',
      kind: 'fan-out',
      description: 'The same 15 order totals, written with Promise.all.',
      servers: ['demo'],
      classicPath: 'the same as reads-serial',
      script: `
const ids = ${READ_IDS_SRC};
const rows = await Promise.all(ids.map((id) => tools.demo.get_order({ orderId: id })));
return Object.fromEntries(rows.map((r) => [r.order.id, r.order.total]));
`,
      check: (v) => eq(v, Object.fromEntries(READ_IDS.map((id) => [id, ordersById().get(id)?.total]))),
    },
    {
      name: 'read-all-urgent-tickets',
      kind: 'read-all',
      description: 'Every urgent open ticket in full (subject, description, notes): the model must read them all to triage.',
      tools: ['demo.list_tickets', 'demo.get_ticket'],
      classicPath: 'one list_tickets call; code mode returns the same records',
      script: `
const r = await tools.demo.list_tickets({ priority: ['urgent'], status: ['open'], limit: 100 });
return r.tickets.map((t) => ({ id: t.id, subject: t.subject, description: t.description, notes: t.notes.map((n) => n.body) }));
`,
      check: (v) => eq((v as { id: string }[]).map((t) => t.id), data().tickets.filter((t) => t.priority === 'urgent' && t.status === 'open').sort(byNewest).map((t) => t.id)),
    },
    {
      name: 'read-all-log-file',
      kind: 'read-all',
      description: 'One log file in full, for the model to read and explain.',
      tools: ['filesystem.read_text_file', 'filesystem.list_directory'],
      classicPath: 'one read_text_file call; code mode returns the same text',
      script: `
const r = await tools.filesystem.read_text_file({ path: '__FS_ROOT__/svc0/app-0.log' });
return typeof r === 'string' ? r : r.content;
`,
      check: (v) => eq(v, readFileSync(path.join(env.fsRoot, 'svc0', 'app-0.log'), 'utf8')),
    },
    {
      name: 'read-all-graph',
      kind: 'read-all',
      description: 'The whole knowledge graph (20 people, 19 relations), for the model to read.',
      servers: ['memory'],
      classicPath: 'one read_graph call; code mode returns the same graph',
      script: `
const g = await tools.memory.read_graph({});
return g;
`,
      check: (v) => {
        const g = v as { entities: { name: string; observations: string[] }[]; relations: unknown[] };
        return g.entities.length === 20 && g.relations.length === 19 && g.entities.every((e) => e.observations.length === 3) ? true : `got ${g.entities.length} entities, ${g.relations.length} relations`;
      },
    },
    {
      name: 'single-order',
      kind: 'single-call',
      description: 'The total of one order: a single small call with the demo catalog.',
      servers: ['demo'],
      classicPath: 'the demo catalog (15 tools), one call',
      script: `
const { order } = await tools.demo.get_order({ orderId: 'ord_00042' });
return order.total;
`,
      check: (v) => eq(v, ordersById().get('ord_00042')?.total),
    },
    {
      name: 'echo-small-catalog',
      kind: 'single-call',
      description: 'One echo call with only server-everything configured.',
      servers: ['everything'],
      shouldLose: true,
      classicPath: 'server-everything alone, one call',
      script: `
return await tools.everything.echo({ message: 'hello' });
`,
      check: (v) => (JSON.stringify(v).includes('hello') ? true : `no echo in ${JSON.stringify(v)}`),
    },
    {
      name: 'single-call-one-tool',
      kind: 'single-call',
      description: 'One small lookup when the whole catalog is that one tool.',
      tools: ['demo.get_order'],
      shouldLose: true,
      classicPath: 'a one-tool catalog, one call',
      script: `
const { order } = await tools.demo.get_order({ orderId: 'ord_00042' });
return order.total;
`,
      check: (v) => eq(v, ordersById().get('ord_00042')?.total),
    },
    {
      name: 'tiny-image',
      kind: 'image',
      description: 'Show the model server-everything’s tiny image: classic sends an image block, code mode returns its data as text.',
      servers: ['everything'],
      shouldLose: true,
      classicPath: 'server-everything alone, one call; the image counted as an image block',
      script: `
return await tools.everything.get_tiny_image({});
`,
      check: (v) => (JSON.stringify(v).includes('iVBORw0KGgo') ? true : 'the PNG data is not in the value'),
    },
    {
      name: 'failed-run',
      kind: 'failed-run',
      description: 'A lookup of an order that does not exist: the run fails and claims no saving.',
      servers: ['demo'],
      expect: 'failure',
      classicPath: 'the demo catalog; the account must say savings null',
      script: `
const { order } = await tools.demo.get_order({ orderId: 'ord_99999' });
return order.total;
`,
      check: (e) => ((e as { code?: string }).code === 'tool_error' ? true : `expected a tool_error, got ${JSON.stringify(e)}`),
    },
  ];
}
