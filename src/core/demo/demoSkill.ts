// The skill the embedded demo ships (`account_review`): the demo script's review, saved as a typed skill
// with parameters (region, segment, how many accounts). Listed by `toolweaver skills list` whenever the
// catalog is the embedded demo and the workspace has no skill of that name.

/** The name the demo skill's file has, under the embedded-demo pseudo folder. */
export const DEMO_SKILL_FILE = '(embedded demo)/account_review.ts';

export const DEMO_SKILL = `// Account review as a skill: the most valuable active customers of one region and segment, with their
// open tickets and recent orders. Call it as \`await skills.account_review({ region: 'emea' })\`.
export const skill = defineSkill({
  name: 'account_review',
  description: 'Reviews the most valuable active customers of a region and segment: open and urgent tickets, recent orders, who needs attention.',
  input: {
    type: 'object',
    properties: {
      region: { type: 'string', enum: ['north_america', 'emea', 'apac', 'latam'], description: 'Region to review.' },
      segment: { type: 'string', enum: ['enterprise', 'mid_market', 'smb', 'consumer'], description: 'Customer segment; default enterprise.' },
      limit: { type: 'integer', minimum: 1, maximum: 25, description: 'How many accounts, most valuable first; default 5.' },
    },
    required: ['region'],
    additionalProperties: false,
  },
  output: {
    type: 'object',
    properties: {
      reviewed: { type: 'number' },
      needsAttention: { type: 'array', items: { type: 'string' } },
      accounts: {
        type: 'array',
        items: {
          type: 'object',
          properties: { id: { type: 'string' }, name: { type: 'string' }, lifetimeValue: { type: 'number' }, recentOrders: { type: 'number' }, openTickets: { type: 'number' }, urgent: { type: 'number' } },
          required: ['id', 'name', 'lifetimeValue', 'recentOrders', 'openTickets', 'urgent'],
        },
      },
    },
    required: ['reviewed', 'needsAttention', 'accounts'],
  },
  examples: [
    { input: { region: 'emea', limit: 3 }, check: (out) => out.reviewed === 3 && out.accounts.length === 3 },
  ],
  run: async (input: { region: string; segment?: string; limit?: number }) => {
    const top = await tools.demo.search_customers({
      filters: { segment: [input.segment ?? 'enterprise'], region: [input.region], status: 'active' },
      sortBy: 'lifetimeValue',
      order: 'desc',
      limit: input.limit ?? 5,
    });
    const details = await map(top.customers, (c) => tools.demo.get_customer({ customerId: c.id, include: ['orders', 'tickets'] }), { concurrency: 4 });
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
      accounts,
    };
  },
});
`;
