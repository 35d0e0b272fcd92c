// The token benchmark's tasks: fixed reference scripts (what a model would write; no LLM involved)
// against the demo CRM and the real reference servers. `__FS_ROOT__` is replaced with the
// filesystem server's allowed directory. Keep each script honest: return only what a user asked for.

export type TaskKind = 'data-heavy' | 'fan-out' | 'chain' | 'dag' | 'retry' | 'single-call';

export interface TokenTask {
  name: string;
  kind: TaskKind;
  /** What the user asked for. */
  description: string;
  /** Servers the classic counterfactual sends definitions for; default: every server in the bench catalog. */
  servers?: string[];
  /** Narrower still: only these tools (`server.tool`) are configured. */
  tools?: string[];
  /** Set for catalog-size probes: tasks that vary the configured catalog rather than the work.
   *  They are printed and counted in the all-task median, and also shown without it. */
  probe?: boolean;
  script: string;
}

export const TOKEN_TASKS: TokenTask[] = [
  {
    name: 'orders-revenue',
    kind: 'data-heavy',
    description: 'Revenue per order status over all 5,000 orders (50 pages).',
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
return { orders: count, revenueByStatus: Object.fromEntries(Object.entries(byStatus).map(([k, v]) => [k, Math.round(v)])) };
`,
  },
  {
    name: 'top-customers',
    kind: 'data-heavy',
    description: 'The 5 customers with the highest lifetime value among all 2,000 (20 pages).',
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
  },
  {
    name: 'open-tickets-fanout',
    kind: 'fan-out',
    description: 'Open tickets of 30 given customers (30 parallel lookups).',
    script: `
const ids = Array.from({ length: 30 }, (_, i) => 'cus_' + String(i * 61 + 1).padStart(4, '0'));
const rows = await map(ids, (id) => tools.demo.get_customer({ customerId: id, include: ['tickets'] }), { concurrency: 30 });
return rows
  .map((r) => ({ id: r.customer.id, name: r.customer.name, open: (r.openTickets ?? []).length }))
  .filter((r) => r.open > 0);
`,
  },
  {
    name: 'customer-chain',
    kind: 'chain',
    description: 'Find a customer by name, their latest order with its items, and their open tickets.',
    script: `
const found = await tools.demo.search_customers({ query: 'a', sortBy: 'lifetimeValue', order: 'desc', limit: 1 });
const cus = found.customers[0];
const detail = await tools.demo.get_customer({ customerId: cus.id, include: ['orders'] });
const latest = detail.recentOrders?.[0];
const order = latest ? await tools.demo.get_order({ orderId: latest.id }) : undefined;
const tickets = await tools.demo.list_tickets({ customerId: cus.id, status: ['open', 'in_progress', 'waiting_on_customer'], limit: 20 });
return {
  customer: cus.name,
  latestOrder: order && { id: order.order.id, total: order.order.total, items: order.order.items?.length },
  openTickets: tickets.total,
};
`,
  },
  {
    name: 'support-dashboard-dag',
    kind: 'dag',
    description: 'A dashboard: revenue by region, ticket stats, agents; then the best region’s top customers and the urgent tickets (a two-level dag).',
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
  topCustomers: r.top.customers.map((c) => c.name),
  urgentOpen: r.urgent.total,
  agents: r.agents.agents.length,
};
`,
  },
  {
    name: 'flaky-retry',
    kind: 'retry',
    description: 'Credit scores for 8 customers from a flaky service (2 failures per key, retried).',
    script: `
const keys = Array.from({ length: 8 }, (_, i) => 'cus_' + String(i + 1).padStart(4, '0'));
const scores = await map(keys, (key) => retry(() => tools.demo.flaky_lookup({ key, failures: 2 }), { attempts: 4, baseMs: 5, jitter: false }));
return scores.map((s) => ({ key: s.key, tier: s.tier }));
`,
  },
  {
    name: 'memory-graph',
    kind: 'chain',
    description: 'Build a 20-person knowledge graph in the memory server, relate it, and count what a search finds.',
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
  },
  {
    name: 'log-scan-fs',
    kind: 'fan-out',
    description: 'Count ERROR lines across 40 log files (search, then 40 parallel reads) in the filesystem server.',
    script: `
const found = await tools.filesystem.search_files({ path: '__FS_ROOT__', pattern: '**/*.log' });
const text: string = typeof found === 'string' ? found : found.content;
const files = text.split('\\n').map((l) => l.trim()).filter((l) => l.endsWith('.log'));
const contents = await map(files, (path) => tools.filesystem.read_text_file({ path }), { concurrency: 40 });
const errors = contents.map((c) => (typeof c === 'string' ? c : c.content ?? JSON.stringify(c)).split('\\n').filter((l) => l.includes('ERROR')).length);
return { files: files.length, errorLines: errors.reduce((a, b) => a + b, 0) };
`,
  },
  {
    name: 'sum-fanout-everything',
    kind: 'fan-out',
    description: 'Add 25 pairs of numbers with server-everything’s get-sum (25 parallel calls).',
    script: `
const pairs = Array.from({ length: 25 }, (_, i) => [i, i * 3]);
const sums = await Promise.all(pairs.map(([a, b]) => tools.everything.get_sum({ a, b })));
return sums.length;
`,
  },
  {
    name: 'single-order',
    kind: 'single-call',
    description: 'The total of one order: a single small call.',
    script: `
const { order } = await tools.demo.get_order({ orderId: 'ord_00042' });
return order.total;
`,
  },
  {
    name: 'single-call-small-catalog',
    kind: 'single-call',
    description: 'One echo call with only server-everything configured (13 tools).',
    servers: ['everything'],
    probe: true,
    script: `
return await tools.everything.echo({ message: 'hello' });
`,
  },
  {
    name: 'single-call-one-tool',
    kind: 'single-call',
    description: 'One small lookup when the whole catalog is that one tool: the limiting case where code mode loses.',
    tools: ['demo.get_order'],
    probe: true,
    script: `
const { order } = await tools.demo.get_order({ orderId: 'ord_00042' });
return order.total;
`,
  },
];
