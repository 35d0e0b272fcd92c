import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import Ajv from 'ajv';
import { afterEach, describe, expect, it } from 'vitest';
import { createDemoServer } from '../../../src/core/demo/demoServer';

// Schemas are walked by path in assertions; a typed walk would add noise, not safety.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = Record<string, any>;
const open: Client[] = [];

async function connect(): Promise<Client> {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: 'demo-test', version: '1.0.0' });
  await Promise.all([createDemoServer().connect(serverSide), client.connect(clientSide)]);
  open.push(client);
  return client;
}

async function call(client: Client, name: string, args: Record<string, unknown> = {}): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args })) as CallToolResult;
}

function structured<T = Record<string, unknown>>(r: CallToolResult): T {
  expect(r.isError, JSON.stringify(r.content)).toBeFalsy();
  const text = r.content[0]?.type === 'text' ? r.content[0].text : '';
  expect(JSON.parse(text)).toEqual(r.structuredContent);
  return r.structuredContent as T;
}

function errorText(r: CallToolResult): string {
  expect(r.isError).toBe(true);
  return r.content[0]?.type === 'text' ? r.content[0].text : '';
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
});

const EXPECTED_TOOLS = [
  'add_note', 'aggregate_revenue', 'delete_ticket', 'flaky_lookup', 'get_customer', 'get_order', 'get_ticket', 'list_agents',
  'list_customers', 'list_orders', 'list_tickets', 'search_customers', 'send_email', 'ticket_stats', 'update_ticket',
];

describe('demo server: tool list', () => {
  it('lists 15 tools whose input and output schemas compile as JSON Schema', async () => {
    const { tools } = await (await connect()).listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(EXPECTED_TOOLS);
    const ajv = new Ajv({ strict: false });
    for (const t of tools) {
      expect(t.description, t.name).toBeTruthy();
      expect(t.inputSchema.type).toBe('object');
      expect(() => ajv.compile(t.inputSchema), t.name).not.toThrow();
      expect(t.outputSchema, t.name).toBeDefined();
      expect(() => ajv.compile(t.outputSchema as object), t.name).not.toThrow();
      expect(t.annotations?.openWorldHint, t.name).toBe(false);
    }
  });

  it('annotates reads, the idempotent update and the destructive delete', async () => {
    const { tools } = await (await connect()).listTools();
    const byName = new Map<string, Tool>(tools.map((t) => [t.name, t]));
    for (const n of ['search_customers', 'list_customers', 'get_customer', 'list_orders', 'list_tickets', 'get_ticket', 'aggregate_revenue', 'ticket_stats']) {
      expect(byName.get(n)?.annotations).toMatchObject({ readOnlyHint: true, idempotentHint: true, destructiveHint: false });
    }
    expect(byName.get('delete_ticket')?.annotations).toMatchObject({ destructiveHint: true, readOnlyHint: false });
    expect(byName.get('update_ticket')?.annotations).toMatchObject({ readOnlyHint: false, idempotentHint: true, destructiveHint: false });
    expect(byName.get('add_note')?.annotations).toMatchObject({ idempotentHint: false });
    expect(byName.get('flaky_lookup')?.description).toMatch(/^DEMO ONLY/);
  });

  it('emits enums, defaults, nested objects, descriptions and nullable types in the input schemas', async () => {
    const { tools } = await (await connect()).listTools();
    const search = tools.find((t) => t.name === 'search_customers')?.inputSchema as Loose;
    expect(search.required ?? []).toEqual([]);
    expect(search.properties.limit).toMatchObject({ type: 'integer', minimum: 1, maximum: 100, default: 25 });
    expect(search.properties.filters.properties.segment.items.enum).toEqual(['enterprise', 'mid_market', 'smb', 'consumer']);
    const update = tools.find((t) => t.name === 'update_ticket')?.inputSchema as Loose;
    expect(update.required).toEqual(['ticketId']);
    expect(update.properties.assignee.type).toEqual(['string', 'null']);
  });
});

describe('demo server: data and paging', () => {
  it('generates the same records in two instances', async () => {
    const [a, b] = [await connect(), await connect()];
    const first = structured<{ customers: { id: string }[] }>(await call(a, 'list_customers', { limit: 1 }));
    expect(first.customers[0]?.id).toBe('cus_0001');
    expect(structured(await call(b, 'list_customers', { limit: 1 }))).toEqual(first);
    expect(structured(await call(a, 'get_ticket', { ticketId: 'tkt_04711' }))).toEqual(structured(await call(b, 'get_ticket', { ticketId: 'tkt_04711' })));
  });

  it('pages through all 2,000 customers with cursors, 100 full records at a time', async () => {
    const client = await connect();
    const ids: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = structured<{ total: number; customers: { id: string; address: object; contacts: object[] }[]; nextCursor?: string }>(
        await call(client, 'list_customers', { limit: 100, ...(cursor ? { cursor } : {}) }));
      expect(page.total).toBe(2000);
      expect(page.customers[0]?.address).toBeDefined();
      ids.push(...page.customers.map((c) => c.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(20);
    expect(new Set(ids).size).toBe(2000);
    expect(ids[1999]).toBe('cus_2000');
  });

  it('filters orders by customer, status and date range', async () => {
    const client = await connect();
    const r = structured<{ total: number; orders: { customerId: string; status: string; createdAt: string }[] }>(
      await call(client, 'list_orders', { status: ['delivered'], from: '2024-01-01', to: '2024-07-01', limit: 100 }));
    expect(r.total).toBeGreaterThan(100);
    expect(r.orders).toHaveLength(100);
    for (const o of r.orders) {
      expect(o.status).toBe('delivered');
      expect(o.createdAt >= '2024-01-01' && o.createdAt < '2024-07-01').toBe(true);
    }
    const sorted = [...r.orders].sort((x, y) => y.createdAt.localeCompare(x.createdAt));
    expect(r.orders).toEqual(sorted);
  });

  it('aggregates revenue consistently across groupings', async () => {
    const client = await connect();
    const byRegion = structured<{ totalRevenue: number; groups: { revenue: number }[] }>(await call(client, 'aggregate_revenue', { groupBy: 'region' }));
    const byMonth = structured<{ totalRevenue: number; groups: { key: string }[] }>(await call(client, 'aggregate_revenue', { groupBy: 'month' }));
    expect(byRegion.totalRevenue).toBe(byMonth.totalRevenue);
    expect(byRegion.groups.reduce((s, g) => s + g.revenue, 0)).toBeCloseTo(byRegion.totalRevenue, 0);
    expect(byMonth.groups[0]?.key).toMatch(/^\d{4}-\d{2}$/);
  });
});

describe('demo server: mutations and errors', () => {
  it('updates idempotently, adds notes and deletes per instance', async () => {
    const [a, b] = [await connect(), await connect()];
    const before = structured<{ ticket: { status: string; priority: string } }>(await call(a, 'get_ticket', { ticketId: 'tkt_00010' })).ticket;
    const change = { ticketId: 'tkt_00010', status: before.status === 'closed' ? 'open' : 'closed', priority: before.priority === 'urgent' ? 'low' : 'urgent' };
    const first = structured<{ changed: string[]; ticket: { status: string } }>(await call(a, 'update_ticket', change));
    expect(first.changed.sort()).toEqual(['priority', 'status']);
    expect(first.ticket.status).toBe(change.status);
    expect(structured<{ changed: string[] }>(await call(a, 'update_ticket', change)).changed).toEqual([]);
    const note = structured<{ noteCount: number }>(await call(a, 'add_note', { ticketId: 'tkt_00010', body: 'Checked.' }));
    expect(structured<{ noteCount: number }>(await call(a, 'add_note', { ticketId: 'tkt_00010', body: 'Again.' })).noteCount).toBe(note.noteCount + 1);
    expect(structured(await call(a, 'delete_ticket', { ticketId: 'tkt_00010' }))).toMatchObject({ deleted: true });
    expect(errorText(await call(a, 'get_ticket', { ticketId: 'tkt_00010' }))).toMatch(/No ticket with id "tkt_00010"/);
    // The other instance is untouched.
    expect(structured<{ ticket: { id: string } }>(await call(b, 'get_ticket', { ticketId: 'tkt_00010' })).ticket.id).toBe('tkt_00010');
  });

  it('answers unknown ids, bad cursors and bad dates with actionable isError results', async () => {
    const client = await connect();
    expect(errorText(await call(client, 'get_customer', { customerId: 'cus_9999' }))).toBe(
      'No customer with id "cus_9999". Customer ids look like "cus_0001"; use search_customers to find a customer by name or email.');
    expect(errorText(await call(client, 'get_order', { orderId: 'x' }))).toMatch(/ids look like "ord_00001"/);
    expect(errorText(await call(client, 'list_tickets', { cursor: 'bogus' }))).toMatch(/not valid for this list/);
    expect(errorText(await call(client, 'list_orders', { from: 'last week' }))).toMatch(/"from" must be an ISO 8601 date/);
    expect(errorText(await call(client, 'ticket_stats', { groupBy: 'status', to: 'tomorrow' }))).toMatch(/"to" must be an ISO 8601 date/);
    expect(errorText(await call(client, 'update_ticket', { ticketId: 'tkt_00001', assignee: 'bob' }))).toMatch(/list_agents/);
    expect(errorText(await call(client, 'search_customers', { limit: 1000 }))).toMatch(/Input validation error/);
  });

  it('flaky_lookup fails the first N calls per key, then succeeds deterministically', async () => {
    const client = await connect();
    expect(errorText(await call(client, 'flaky_lookup', { key: 'cus_0001', failures: 2 }))).toMatch(/failure 1 of 2/);
    expect(errorText(await call(client, 'flaky_lookup', { key: 'cus_0001', failures: 2 }))).toMatch(/failure 2 of 2/);
    const ok = structured<{ attempt: number; score: number }>(await call(client, 'flaky_lookup', { key: 'cus_0001', failures: 2 }));
    expect(ok.attempt).toBe(3);
    expect(structured<{ score: number }>(await call(client, 'flaky_lookup', { key: 'cus_0001', failures: 0 })).score).toBe(ok.score);
    expect(errorText(await call(client, 'flaky_lookup', { key: 'other' }))).toMatch(/failure 1 of 2/);
  });

  it('send_email resolves customer ids to their primary contact and only simulates', async () => {
    const client = await connect();
    const r = structured<{ recipients: string[]; simulated: boolean }>(
      await call(client, 'send_email', { to: ['cus_0001', 'ops@example.com'], subject: 'Hello', body: 'Hi there.' }));
    expect(r.simulated).toBe(true);
    expect(r.recipients[0]).toMatch(/@.+\.example$/);
    expect(r.recipients[1]).toBe('ops@example.com');
  });
});
