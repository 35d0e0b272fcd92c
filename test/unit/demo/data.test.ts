import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { generateDemoData } from '../../../src/core/demo/data';
import { createDemoServer } from '../../../src/core/demo/demoServer';
import { createRng } from '../../../src/core/demo/random';
import { decodeCursor, encodeCursor } from '../../../src/core/demo/store';

describe('demo data', () => {
  it('is identical across generations and has the promised sizes', () => {
    const a = generateDemoData();
    const b = generateDemoData();
    expect(a).toEqual(b);
    expect([a.customers.length, a.orders.length, a.tickets.length, a.agents.length]).toEqual([2000, 5000, 5000, 20]);
    expect(a.customers[0]?.id).toBe('cus_0001');
    expect(a.tickets[4999]?.id).toBe('tkt_05000');
    expect(generateDemoData({ seed: 7, customers: 10, orders: 10, tickets: 10 })).not.toEqual(generateDemoData({ seed: 8, customers: 10, orders: 10, tickets: 10 }));
  });

  it('keeps derived fields consistent with the records', () => {
    const d = generateDemoData();
    const c = d.customers[41];
    const theirs = d.orders.filter((o) => o.customerId === c?.id);
    expect(c?.orderCount).toBe(theirs.length);
    const ltv = theirs.filter((o) => ['paid', 'shipped', 'delivered'].includes(o.status)).reduce((s, o) => s + o.total, 0);
    expect(c?.lifetimeValue).toBeCloseTo(ltv, 1);
    for (const t of d.tickets) {
      if (t.orderId) expect(d.orders.find((o) => o.id === t.orderId)?.customerId).toBe(t.customerId);
      expect(t.resolvedAt !== undefined).toBe(t.status === 'resolved' || t.status === 'closed');
    }
  });

  it('validates every record against the output schemas the server publishes', async () => {
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    const client = new Client({ name: 'schema-test', version: '1.0.0' });
    await Promise.all([createDemoServer().connect(serverSide), client.connect(clientSide)]);
    const { tools } = await client.listTools();
    await client.close();
    const schema = (name: string): object => tools.find((t) => t.name === name)?.outputSchema as object;
    const ajv = new Ajv({ strict: false, allErrors: true });
    const d = generateDemoData();
    const checks: [string, object][] = [
      ['list_customers', { total: 2000, customers: d.customers }],
      ['list_orders', { total: 5000, orders: d.orders }],
      ['list_tickets', { total: 5000, tickets: d.tickets }],
      ['list_agents', { agents: d.agents }],
    ];
    for (const [tool, value] of checks) {
      const validate = ajv.compile(schema(tool));
      expect(validate(value), `${tool}: ${ajv.errorsText(validate.errors)}`).toBe(true);
    }
    // A record with an extra field must fail: the schemas are closed, so this test can fail.
    const validate = ajv.compile(schema('get_order'));
    expect(validate({ order: { ...d.orders[0], extra: 1 } })).toBe(false);
    expect(JSON.stringify(tools)).not.toContain('9007199254740991');
  });
});

describe('demo helpers', () => {
  it('createRng is a deterministic uniform source', () => {
    const xs = Array.from({ length: 1000 }, createRng(42).next);
    expect(Array.from({ length: 1000 }, createRng(42).next)).toEqual(xs);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(mean).toBeGreaterThan(0.45);
    expect(mean).toBeLessThan(0.55);
  });

  it('cursors round-trip and are refused for another list', () => {
    const c = encodeCursor('orders', 150);
    expect(decodeCursor('orders', c)).toBe(150);
    expect(decodeCursor('tickets', c)).toBeUndefined();
    expect(decodeCursor('orders', 'not a cursor')).toBeUndefined();
  });
});
