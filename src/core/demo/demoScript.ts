// The script `npm start` (toolweaver demo) runs against the embedded demo server: a realistic
// account review that uses several control-flow helpers. Kept here so the CLI, the benchmark and
// the tests run the same text.

export const DEMO_SCRIPT_NAME = 'account-review.tw.ts';

export const DEMO_SCRIPT = `// Account review: the ten most valuable EMEA enterprise customers, their open tickets and recent
// orders, a flaky credit check retried with backoff, and two independent reports as a dag.
export default async function main() {
  const top = await tools.demo.search_customers({
    filters: { segment: ['enterprise'], region: ['emea'], status: 'active' },
    sortBy: 'lifetimeValue',
    order: 'desc',
    limit: 10,
  });
  console.log(\`found \${top.total} active EMEA enterprise customers; reviewing the top \${top.customers.length}\`);

  // Fan out, four at a time: each customer with their recent orders and open tickets.
  const details = await map(top.customers, (c) => tools.demo.get_customer({ customerId: c.id, include: ['orders', 'tickets'] }), { concurrency: 4 });

  // A flaky upstream: fails twice per key, so retry with exponential backoff.
  const credit = await map(top.customers.slice(0, 3), (c) =>
    retry(() => tools.demo.flaky_lookup({ key: c.id, failures: 2 }), { attempts: 4, baseMs: 25, jitter: false }),
  );

  // Independent reports in parallel, then a step that needs both.
  const reports = await dag({
    revenue: () => tools.demo.aggregate_revenue({ groupBy: 'quarter', region: 'emea', segment: 'enterprise' }),
    tickets: () => tools.demo.ticket_stats({ groupBy: 'priority' }),
    summary: {
      deps: ['revenue', 'tickets'],
      run: ({ revenue, tickets }) => ({
        quarters: revenue.groups.length,
        emeaEnterpriseRevenue: Math.round(revenue.totalRevenue),
        ticketsByPriority: tickets.groups.length,
      }),
    },
  });
  const urgent = reports.tickets.groups.find((g) => g.key === 'urgent');

  const accounts = details.map((d) => ({
    id: d.customer.id,
    name: d.customer.name,
    lifetimeValue: Math.round(d.customer.lifetimeValue),
    recentOrders: d.recentOrders?.length ?? 0,
    openTickets: d.openTickets?.length ?? 0,
    urgent: (d.openTickets ?? []).filter((t) => t.priority === 'urgent').length,
  }));
  return {
    reviewed: accounts.length,
    needsAttention: accounts.filter((a) => a.urgent > 0).map((a) => a.name),
    topAccount: accounts[0],
    creditTiers: credit.map((c) => \`\${c.key}: \${c.tier} (after \${c.attempt} calls)\`),
    urgentOpenTickets: urgent?.open ?? 0,
    ...reports.summary,
  };
}
`;
