// Read-only demo tools over customers, orders, tickets and agents. Every one returns full records
// (a page is 25–100 of them) so that classic tool calling pays for every byte in context.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { isOpenTicket } from './data';
import { badCursor, notFound, ok, parseDateRange } from './results';
import {
  AgentSchema,
  CUSTOMER_STATUSES,
  CustomerSchema,
  ORDER_STATUSES,
  OrderSchema,
  PRIORITIES,
  REGIONS,
  SEGMENTS,
  TICKET_STATUSES,
  TicketSchema,
  type Customer,
  integer,
} from './schemas';
import { decodeCursor, inRange, page, type DemoStore } from './store';

/** Annotations shared by every read tool. */
export const READ_ONLY = { readOnlyHint: true, idempotentHint: true, destructiveHint: false, openWorldHint: false } as const;

const limit = (def: number): z.ZodDefault<z.ZodNumber> =>
  z.number().int().min(1).max(100).default(def).describe(`Page size, 1–100 (default ${def}).`);
const cursor = z.string().optional().describe('Opaque cursor: the nextCursor of the previous page. Omit for the first page.');
const from = z.string().optional().describe('Only records created at or after this ISO date/time, e.g. "2024-01-01".');
const to = z.string().optional().describe('Only records created before this ISO date/time (exclusive).');
const CUSTOMER_HINT = 'use search_customers to find a customer by name or email.';

const byNewest = <T extends { createdAt: string; id: string }>(a: T, b: T): number =>
  b.createdAt.localeCompare(a.createdAt) || a.id.localeCompare(b.id);

function matchesQuery(c: Customer, q: string): boolean {
  const hay = [c.name, c.email, c.address.city, ...c.contacts.flatMap((k) => [k.name, k.email])].join('\n').toLowerCase();
  return q.split(/\s+/).every((word) => hay.includes(word));
}

/** Registers search_customers, list_customers, get_customer, list_orders, get_order, list_tickets, get_ticket, list_agents. */
export function registerReadTools(server: McpServer, store: DemoStore): void {
  server.registerTool('search_customers', {
    title: 'Search customers',
    description: 'Full-text search over customer name, email, city and contacts, with filters, sorting and offset paging. Returns full customer records.',
    inputSchema: z.object({
      query: z.string().optional().describe('Words that must all appear (case-insensitive). Omit to match every customer.'),
      filters: z.object({
        segment: z.array(z.enum(SEGMENTS)).optional().describe('Any of these segments.'),
        region: z.array(z.enum(REGIONS)).optional().describe('Any of these regions.'),
        status: z.enum(CUSTOMER_STATUSES).optional(),
        tags: z.array(z.string()).optional().describe('Customers carrying all of these tags.'),
        minLifetimeValue: z.number().optional().describe('USD, inclusive.'),
        maxLifetimeValue: z.number().optional().describe('USD, inclusive.'),
      }).optional(),
      sortBy: z.enum(['id', 'name', 'lifetimeValue', 'createdAt']).default('id'),
      order: z.enum(['asc', 'desc']).default('asc'),
      offset: z.number().int().min(0).max(10_000).default(0).describe('Number of matches to skip, 0–10,000.'),
      limit: limit(25),
    }),
    outputSchema: z.object({
      total: integer().describe('Number of matching customers.'),
      offset: integer(),
      limit: integer(),
      customers: z.array(CustomerSchema),
    }),
    annotations: READ_ONLY,
  }, (args) => {
    const q = args.query?.trim().toLowerCase();
    const f = args.filters ?? {};
    const matches = store.data.customers.filter((c) =>
      (!q || matchesQuery(c, q)) &&
      (!f.segment || f.segment.includes(c.segment)) &&
      (!f.region || f.region.includes(c.region)) &&
      (!f.status || f.status === c.status) &&
      (!f.tags || f.tags.every((t) => c.tags.includes(t))) &&
      (f.minLifetimeValue === undefined || c.lifetimeValue >= f.minLifetimeValue) &&
      (f.maxLifetimeValue === undefined || c.lifetimeValue <= f.maxLifetimeValue));
    const key = args.sortBy;
    const dir = args.order === 'desc' ? -1 : 1;
    matches.sort((a, b) => {
      const x = a[key];
      const y = b[key];
      return dir * (typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y))) || a.id.localeCompare(b.id);
    });
    return ok({ total: matches.length, offset: args.offset, limit: args.limit, customers: matches.slice(args.offset, args.offset + args.limit) });
  });

  server.registerTool('list_customers', {
    title: 'List customers',
    description: 'All customers in id order, 50 per page by default; follow nextCursor for the next page.',
    inputSchema: z.object({
      segment: z.enum(SEGMENTS).optional(),
      region: z.enum(REGIONS).optional(),
      cursor,
      limit: limit(50),
    }),
    outputSchema: z.object({
      total: integer(),
      customers: z.array(CustomerSchema),
      nextCursor: z.string().optional().describe('Pass as cursor to get the next page; absent on the last page.'),
    }),
    annotations: READ_ONLY,
  }, (args) => {
    const offset = args.cursor === undefined ? 0 : decodeCursor('customers', args.cursor);
    if (offset === undefined) return badCursor('list_customers');
    const all = store.data.customers.filter((c) => (!args.segment || c.segment === args.segment) && (!args.region || c.region === args.region));
    const p = page('customers', all, offset, args.limit);
    return ok({ total: all.length, customers: p.items, ...(p.nextCursor ? { nextCursor: p.nextCursor } : {}) });
  });

  server.registerTool('get_customer', {
    title: 'Get customer',
    description: 'One customer by id, optionally with their 20 most recent orders and their open tickets.',
    inputSchema: z.object({
      customerId: z.string().describe('Customer id, e.g. "cus_0042".'),
      include: z.array(z.enum(['orders', 'tickets'])).default([]).describe('Related records to embed.'),
    }),
    outputSchema: z.object({
      customer: CustomerSchema,
      recentOrders: z.array(OrderSchema).optional(),
      openTickets: z.array(TicketSchema).optional(),
    }),
    annotations: READ_ONLY,
  }, (args) => {
    const customer = store.customersById.get(args.customerId);
    if (!customer) return notFound('customer', args.customerId, 'cus_0001', CUSTOMER_HINT);
    const out: Record<string, unknown> = { customer };
    if (args.include.includes('orders')) out.recentOrders = store.data.orders.filter((o) => o.customerId === customer.id).sort(byNewest).slice(0, 20);
    if (args.include.includes('tickets')) out.openTickets = store.data.tickets.filter((t) => t.customerId === customer.id && isOpenTicket(t)).sort(byNewest);
    return ok(out);
  });

  server.registerTool('list_orders', {
    title: 'List orders',
    description: 'Orders, newest first, filtered by customer, status, creation date and total; cursor paging.',
    inputSchema: z.object({
      customerId: z.string().optional(),
      status: z.array(z.enum(ORDER_STATUSES)).optional().describe('Any of these statuses.'),
      from,
      to,
      minTotal: z.number().optional().describe('USD, inclusive.'),
      cursor,
      limit: limit(50),
    }),
    outputSchema: z.object({ total: integer(), orders: z.array(OrderSchema), nextCursor: z.string().optional() }),
    annotations: READ_ONLY,
  }, (args) => {
    const range = parseDateRange(args.from, args.to);
    if ('error' in range) return range.error;
    const { start, end } = range;
    if (args.customerId && !store.customersById.has(args.customerId)) return notFound('customer', args.customerId, 'cus_0001', CUSTOMER_HINT);
    const offset = args.cursor === undefined ? 0 : decodeCursor('orders', args.cursor);
    if (offset === undefined) return badCursor('list_orders');
    const all = store.data.orders.filter((o) =>
      (!args.customerId || o.customerId === args.customerId) &&
      (!args.status || args.status.includes(o.status)) &&
      (args.minTotal === undefined || o.total >= args.minTotal) &&
      inRange(o.createdAt, start, end)).sort(byNewest);
    const p = page('orders', all, offset, args.limit);
    return ok({ total: all.length, orders: p.items, ...(p.nextCursor ? { nextCursor: p.nextCursor } : {}) });
  });

  server.registerTool('get_order', {
    title: 'Get order',
    description: 'One order by id, with its line items and shipping address.',
    inputSchema: z.object({ orderId: z.string().describe('Order id, e.g. "ord_00042".') }),
    outputSchema: z.object({ order: OrderSchema }),
    annotations: READ_ONLY,
  }, (args) => {
    const order = store.ordersById.get(args.orderId);
    return order ? ok({ order }) : notFound('order', args.orderId, 'ord_00001', 'use list_orders with a customerId to find a customer\'s orders.');
  });

  server.registerTool('list_tickets', {
    title: 'List tickets',
    description: 'Support tickets, newest first, filtered by customer, status, priority, assignee, tag and creation date; cursor paging. Returns full tickets with their notes.',
    inputSchema: z.object({
      customerId: z.string().optional(),
      status: z.array(z.enum(TICKET_STATUSES)).optional().describe('Any of these statuses.'),
      priority: z.array(z.enum(PRIORITIES)).optional().describe('Any of these priorities.'),
      assignee: z.string().optional().describe('Agent id such as "agt_07", or "unassigned".'),
      tag: z.string().optional(),
      from,
      to,
      cursor,
      limit: limit(50),
    }),
    outputSchema: z.object({ total: integer(), tickets: z.array(TicketSchema), nextCursor: z.string().optional() }),
    annotations: READ_ONLY,
  }, (args) => {
    const range = parseDateRange(args.from, args.to);
    if ('error' in range) return range.error;
    const { start, end } = range;
    const offset = args.cursor === undefined ? 0 : decodeCursor('tickets', args.cursor);
    if (offset === undefined) return badCursor('list_tickets');
    const all = store.data.tickets.filter((t) =>
      (!args.customerId || t.customerId === args.customerId) &&
      (!args.status || args.status.includes(t.status)) &&
      (!args.priority || args.priority.includes(t.priority)) &&
      (!args.assignee || (args.assignee === 'unassigned' ? t.assignee === undefined : t.assignee === args.assignee)) &&
      (!args.tag || t.tags.includes(args.tag)) &&
      inRange(t.createdAt, start, end)).sort(byNewest);
    const p = page('tickets', all, offset, args.limit);
    return ok({ total: all.length, tickets: p.items, ...(p.nextCursor ? { nextCursor: p.nextCursor } : {}) });
  });

  server.registerTool('get_ticket', {
    title: 'Get ticket',
    description: 'One ticket by id with its notes, plus the customer it belongs to.',
    inputSchema: z.object({ ticketId: z.string().describe('Ticket id, e.g. "tkt_00042".') }),
    outputSchema: z.object({ ticket: TicketSchema, customer: CustomerSchema }),
    annotations: READ_ONLY,
  }, (args) => {
    const ticket = store.ticketsById.get(args.ticketId);
    const customer = ticket && store.customersById.get(ticket.customerId);
    if (!ticket || !customer) return notFound('ticket', args.ticketId, 'tkt_00001', 'use list_tickets to find tickets (deleted tickets are gone for good).');
    return ok({ ticket, customer });
  });

  server.registerTool('list_agents', {
    title: 'List support agents',
    description: 'The support agents tickets can be assigned to.',
    inputSchema: z.object({ team: z.enum(['billing', 'technical', 'onboarding', 'accounts']).optional() }),
    outputSchema: z.object({ agents: z.array(AgentSchema) }),
    annotations: READ_ONLY,
  }, (args) => ok({ agents: store.data.agents.filter((a) => !args.team || a.team === args.team) }));
}
