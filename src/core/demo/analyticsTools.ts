// Aggregating demo tools: revenue and ticket statistics computed over all records on every call,
// so a script gets a small answer where classic tool calling would page through thousands.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { isOpenTicket } from './data';
import { READ_ONLY } from './readTools';
import { notFound, ok, parseDateRange } from './results';
import { ORDER_STATUSES, REGIONS, SEGMENTS, type Order, type Ticket, integer } from './schemas';
import { inRange, type DemoStore } from './store';

const round2 = (n: number): number => Math.round(n * 100) / 100;
const HOUR_MS = 3_600_000;

/** Registers aggregate_revenue and ticket_stats. */
export function registerAnalyticsTools(server: McpServer, store: DemoStore): void {
  server.registerTool('aggregate_revenue', {
    title: 'Aggregate revenue',
    description: 'Revenue of orders grouped by month, quarter, customer region, customer segment or product SKU. By default only paid, shipped and delivered orders count.',
    inputSchema: z.object({
      groupBy: z.enum(['month', 'quarter', 'region', 'segment', 'sku']).describe('Grouping key; month is "2024-03", quarter is "2024-Q1".'),
      from: z.string().optional().describe('Orders created at or after this ISO date/time.'),
      to: z.string().optional().describe('Orders created before this ISO date/time (exclusive).'),
      statuses: z.array(z.enum(ORDER_STATUSES)).default(['paid', 'shipped', 'delivered']).describe('Order statuses that count.'),
      region: z.enum(REGIONS).optional().describe('Only customers in this region.'),
      segment: z.enum(SEGMENTS).optional().describe('Only customers in this segment.'),
    }),
    outputSchema: z.object({
      groupBy: z.string(),
      currency: z.literal('USD'),
      orderCount: integer(),
      totalRevenue: z.number(),
      groups: z.array(z.object({
        key: z.string(),
        orderCount: integer(),
        revenue: z.number(),
        averageOrderValue: z.number(),
      })).describe('Sorted by key.'),
    }),
    annotations: READ_ONLY,
  }, (args) => {
    const range = parseDateRange(args.from, args.to);
    if ('error' in range) return range.error;
    const { start, end } = range;
    const groups = new Map<string, { orderCount: number; revenue: number }>();
    const add = (key: string, amount: number): void => {
      const g = groups.get(key) ?? { orderCount: 0, revenue: 0 };
      g.orderCount++;
      g.revenue += amount;
      groups.set(key, g);
    };
    let orderCount = 0;
    let totalRevenue = 0;
    for (const o of store.data.orders) {
      const c = store.customersById.get(o.customerId);
      if (!c || !args.statuses.includes(o.status) || !inRange(o.createdAt, start, end)) continue;
      if ((args.region && c.region !== args.region) || (args.segment && c.segment !== args.segment)) continue;
      orderCount++;
      totalRevenue += o.total;
      if (args.groupBy === 'sku') {
        for (const it of o.items) add(it.sku, (it.quantity * it.unitPrice * o.total) / (o.subtotal || 1));
      } else add(revenueKey(args.groupBy, o, c.region, c.segment), o.total);
    }
    return ok({
      groupBy: args.groupBy,
      currency: 'USD',
      orderCount,
      totalRevenue: round2(totalRevenue),
      groups: [...groups.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([key, g]) => ({
        key,
        orderCount: g.orderCount,
        revenue: round2(g.revenue),
        averageOrderValue: round2(g.revenue / g.orderCount),
      })),
    });
  });

  server.registerTool('ticket_stats', {
    title: 'Ticket statistics',
    description: 'Ticket counts grouped by status, priority, assignee, channel or tag, with open and SLA-breached counts and the mean resolution time.',
    inputSchema: z.object({
      groupBy: z.enum(['status', 'priority', 'assignee', 'channel', 'tag']),
      customerId: z.string().optional().describe('Only this customer\'s tickets.'),
      from: z.string().optional().describe('Tickets created at or after this ISO date/time.'),
      to: z.string().optional().describe('Tickets created before this ISO date/time (exclusive).'),
    }),
    outputSchema: z.object({
      groupBy: z.string(),
      total: integer(),
      groups: z.array(z.object({
        key: z.string().describe('Group value; "unassigned" for tickets without an assignee.'),
        count: integer(),
        open: integer(),
        slaBreached: integer(),
        meanResolutionHours: z.number().optional().describe('Absent when no ticket of the group is resolved.'),
      })),
    }),
    annotations: READ_ONLY,
  }, (args) => {
    const range = parseDateRange(args.from, args.to);
    if ('error' in range) return range.error;
    const { start, end } = range;
    if (args.customerId && !store.customersById.has(args.customerId)) {
      return notFound('customer', args.customerId, 'cus_0001', 'use search_customers to find a customer by name or email.');
    }
    const groups = new Map<string, { count: number; open: number; slaBreached: number; resolvedMs: number; resolved: number }>();
    let total = 0;
    for (const t of store.data.tickets) {
      if ((args.customerId && t.customerId !== args.customerId) || !inRange(t.createdAt, start, end)) continue;
      total++;
      for (const key of ticketKeys(args.groupBy, t)) {
        const g = groups.get(key) ?? { count: 0, open: 0, slaBreached: 0, resolvedMs: 0, resolved: 0 };
        g.count++;
        if (isOpenTicket(t)) g.open++;
        if (t.slaBreached) g.slaBreached++;
        if (t.resolvedAt) {
          g.resolved++;
          g.resolvedMs += Date.parse(t.resolvedAt) - Date.parse(t.createdAt);
        }
        groups.set(key, g);
      }
    }
    return ok({
      groupBy: args.groupBy,
      total,
      groups: [...groups.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([key, g]) => ({
        key,
        count: g.count,
        open: g.open,
        slaBreached: g.slaBreached,
        ...(g.resolved > 0 ? { meanResolutionHours: round2(g.resolvedMs / g.resolved / HOUR_MS) } : {}),
      })),
    });
  });
}

function revenueKey(groupBy: 'month' | 'quarter' | 'region' | 'segment', o: Order, region: string, segment: string): string {
  if (groupBy === 'region') return region;
  if (groupBy === 'segment') return segment;
  const month = o.createdAt.slice(0, 7);
  if (groupBy === 'month') return month;
  return `${month.slice(0, 4)}-Q${Math.floor((Number(month.slice(5, 7)) - 1) / 3) + 1}`;
}

function ticketKeys(groupBy: 'status' | 'priority' | 'assignee' | 'channel' | 'tag', t: Ticket): string[] {
  if (groupBy === 'tag') return t.tags;
  if (groupBy === 'assignee') return [t.assignee ?? 'unassigned'];
  return [t[groupBy]];
}
