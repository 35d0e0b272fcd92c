/// <reference path="../stubs/tools.d.ts" />
// Account review (the UI journey's script): the most valuable EMEA enterprise customers fanned out
// four at a time, a flaky credit check retried with backoff, and two independent reports as a dag.
export default async function main() {
  const top = await tools.demo.search_customers({
    filters: { segment: ['enterprise'], region: ['emea'], status: 'active' },
    sortBy: 'lifetimeValue',
    order: 'desc',
    limit: 8,
  });
  console.log(`reviewing the top ${top.customers.length} of ${top.total} active EMEA enterprise customers`);

  const details = await map(top.customers, (c) => tools.demo.get_customer({ customerId: c.id, include: ['orders', 'tickets'] }), { concurrency: 4 });

  const credit = await map(top.customers.slice(0, 3), (c) =>
    retry(() => tools.demo.flaky_lookup({ key: c.id, failures: 2 }), { attempts: 4, baseMs: 25, jitter: false }),
  );

  // Two independent reports in parallel, then a step that needs both.
  const reports = await dag({
    revenue: () => tools.demo.aggregate_revenue({ groupBy: 'quarter', region: 'emea', segment: 'enterprise' }),
    tickets: () => tools.demo.ticket_stats({ groupBy: 'priority' }),
    summary: { deps: ['revenue', 'tickets'], run: () => 'both reports ready' },
  });
  const urgent = reports.tickets.groups.find((g) => g.key === 'urgent');

  const accounts = details.map((d) => ({
    name: d.customer.name,
    openTickets: d.openTickets?.length ?? 0,
    urgent: (d.openTickets ?? []).filter((t) => t.priority === 'urgent').length,
  }));
  console.log(`${accounts.filter((a) => a.urgent > 0).length} accounts have urgent tickets`);
  return {
    reviewed: accounts.length,
    needsAttention: accounts.filter((a) => a.urgent > 0).map((a) => a.name),
    creditTiers: credit.map((c) => `${c.key}: ${c.tier} (after ${c.attempt} calls)`),
    quarters: reports.revenue.groups.length,
    emeaEnterpriseRevenue: Math.round(reports.revenue.totalRevenue),
    urgentOpenTickets: urgent?.open ?? 0,
  };
}
