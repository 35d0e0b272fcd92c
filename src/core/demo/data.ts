// Deterministic generator of the demo CRM: agents, 2,000 customers, 5,000 orders, 5,000 tickets.
// Everything derives from one seed and fixed dates, so two generations are deep-equal and ids stable.
import { createRng, type Rng } from './random';
import {
  CHANNELS,
  CUSTOMER_STATUSES,
  ORDER_STATUSES,
  PRIORITIES,
  REGIONS,
  SEGMENTS,
  TICKET_STATUSES,
  type Address,
  type Agent,
  type Customer,
  type Note,
  type Order,
  type OrderItem,
  type Ticket,
} from './schemas';

/** The whole demo data set. Arrays are sorted by id. */
export interface DemoData {
  agents: Agent[];
  customers: Customer[];
  orders: Order[];
  tickets: Ticket[];
}

/** Size and seed of the generated data set; the defaults are what the demo server serves. */
export interface DemoDataOptions {
  seed?: number;
  customers?: number;
  orders?: number;
  tickets?: number;
}

/** The seed of the shipped data set. Changing it changes every record the docs and tests mention. */
export const DEMO_SEED = 20240601;
const START_MS = Date.UTC(2023, 0, 1);
const END_MS = Date.UTC(2025, 5, 30);
const HOUR_MS = 3_600_000;

const FIRST = ['Ada', 'Ben', 'Chloe', 'Diego', 'Elena', 'Farid', 'Grace', 'Hiro', 'Ines', 'Jonas', 'Keiko', 'Liam', 'Maya', 'Noah', 'Olga', 'Priya', 'Quinn', 'Rosa', 'Sven', 'Tara', 'Umar', 'Vera', 'Wei', 'Yara', 'Zoe'];
const LAST = ['Almeida', 'Brooks', 'Chen', 'Dubois', 'Eriksen', 'Fischer', 'Garcia', 'Haddad', 'Ivanova', 'Jensen', 'Kowalski', 'Lopez', 'Müller', 'Nakamura', 'Okafor', 'Petrov', 'Rossi', 'Singh', 'Tanaka', 'Usman', 'Varga', 'Walsh', 'Yilmaz', 'Zhang'];
const WORDS_A = ['Acme', 'Blue', 'Bright', 'Cedar', 'Delta', 'Echo', 'Falcon', 'Green', 'Harbor', 'Iron', 'Juniper', 'Kite', 'Lumen', 'Maple', 'North', 'Orbit', 'Pine', 'Quartz', 'River', 'Summit', 'Tidal', 'Union', 'Vertex', 'Willow'];
const WORDS_B = ['Analytics', 'Bakery', 'Logistics', 'Health', 'Labs', 'Foods', 'Robotics', 'Media', 'Energy', 'Systems', 'Outfitters', 'Studios', 'Partners', 'Dental', 'Motors', 'Software', 'Textiles', 'Farms', 'Capital', 'Works'];
const SUFFIX = ['Inc.', 'LLC', 'GmbH', 'Ltd.', 'S.A.', 'Pty Ltd', 'KK', 'B.V.'];
const ROLES = ['CEO', 'CFO', 'CTO', 'Head of Operations', 'Procurement Lead', 'IT Manager', 'Office Manager', 'Finance Analyst'];
const TAGS = ['vip', 'beta', 'net30', 'reseller', 'nonprofit', 'at_risk', 'upsell', 'renewal_q3', 'priority_support', 'education', 'healthcare', 'retail', 'gdpr', 'multi_site'];
const TICKET_TAGS = ['billing', 'shipping', 'refund', 'bug', 'login', 'api', 'invoice', 'onboarding', 'feature_request', 'outage', 'data_export', 'integration'];
const PLACES: Record<(typeof REGIONS)[number], { city: string; state?: string; country: string }[]> = {
  north_america: [{ city: 'Austin', state: 'TX', country: 'US' }, { city: 'Seattle', state: 'WA', country: 'US' }, { city: 'Toronto', state: 'ON', country: 'CA' }, { city: 'Chicago', state: 'IL', country: 'US' }, { city: 'Denver', state: 'CO', country: 'US' }],
  emea: [{ city: 'Berlin', country: 'DE' }, { city: 'Lyon', country: 'FR' }, { city: 'Dublin', country: 'IE' }, { city: 'Milan', country: 'IT' }, { city: 'Nairobi', country: 'KE' }, { city: 'Rotterdam', country: 'NL' }],
  apac: [{ city: 'Osaka', country: 'JP' }, { city: 'Sydney', state: 'NSW', country: 'AU' }, { city: 'Singapore', country: 'SG' }, { city: 'Pune', state: 'MH', country: 'IN' }, { city: 'Auckland', country: 'NZ' }],
  latam: [{ city: 'São Paulo', state: 'SP', country: 'BR' }, { city: 'Monterrey', state: 'NL', country: 'MX' }, { city: 'Bogotá', country: 'CO' }, { city: 'Santiago', country: 'CL' }],
};
const STREETS = ['Main St', 'Harbour Rd', 'Oak Avenue', 'Station Way', 'Market Street', 'Hill Lane', 'Park Blvd', 'Canal Street'];
const PRODUCTS = [
  { sku: 'SUB-STD-12', name: 'Standard plan, 12 months', price: 1188 },
  { sku: 'SUB-PRO-12', name: 'Pro plan, 12 months', price: 2988 },
  { sku: 'SUB-ENT-12', name: 'Enterprise plan, 12 months', price: 11988 },
  { sku: 'SEAT-ADD', name: 'Additional seat', price: 96 },
  { sku: 'HW-SCAN-2', name: 'Barcode scanner, gen 2', price: 249.5 },
  { sku: 'HW-PRN-TH', name: 'Thermal label printer', price: 179 },
  { sku: 'SVC-ONB', name: 'Onboarding package', price: 1500 },
  { sku: 'SVC-TRAIN', name: 'Training day (remote)', price: 850 },
  { sku: 'ADD-API', name: 'API access add-on', price: 600 },
  { sku: 'ADD-SSO', name: 'SSO add-on', price: 480 },
] as const;
const SUBJECTS = [
  ['Invoice shows the wrong amount', 'billing'], ['Cannot log in after password reset', 'login'], ['Order has not arrived yet', 'shipping'],
  ['Request a refund for duplicate charge', 'refund'], ['API returns 500 on bulk import', 'api'], ['Export to CSV misses columns', 'data_export'],
  ['Need help setting up SSO', 'onboarding'], ['Dashboard is very slow this morning', 'outage'], ['Please add a dark mode', 'feature_request'],
  ['Webhook deliveries are delayed', 'integration'], ['Scanner does not pair over Bluetooth', 'bug'], ['Change billing contact', 'invoice'],
] as const;

const round2 = (n: number): number => Math.round(n * 100) / 100;
const iso = (ms: number): string => new Date(ms).toISOString();
const pad = (n: number, width: number): string => String(n).padStart(width, '0');
const slug = (s: string): string => s.toLowerCase().normalize('NFD').replace(/[^a-z0-9]+/g, '');

function address(rng: Rng, region: (typeof REGIONS)[number]): Address {
  const place = rng.pick(PLACES[region]);
  const a: Address = {
    street: `${rng.int(1, 980)} ${rng.pick(STREETS)}`,
    city: place.city,
    postalCode: pad(rng.int(1000, 99999), 5),
    country: place.country,
  };
  if (place.state) a.state = place.state;
  return a;
}

function makeAgents(rng: Rng): Agent[] {
  const teams = ['billing', 'technical', 'onboarding', 'accounts'] as const;
  return Array.from({ length: 20 }, (_, i) => {
    const name = `${FIRST[(i * 7) % FIRST.length]} ${LAST[(i * 5) % LAST.length]}`;
    return {
      id: `agt_${pad(i + 1, 2)}`,
      name,
      email: `${slug(name.split(' ')[0] ?? 'agent')}.${slug(name.split(' ')[1] ?? '')}@support.demo-crm.example`,
      team: teams[i % teams.length] as Agent['team'],
      regions: rng.sample(REGIONS, rng.int(1, 2)),
    };
  });
}

function makeCustomer(rng: Rng, i: number, agents: Agent[]): Customer {
  const segment = rng.weighted(SEGMENTS, [1, 2, 4, 3]);
  const region = rng.weighted(REGIONS, [4, 3, 2, 1]);
  const person = `${rng.pick(FIRST)} ${rng.pick(LAST)}`;
  const name = segment === 'consumer' ? person : `${rng.pick(WORDS_A)} ${rng.pick(WORDS_B)} ${rng.pick(SUFFIX)}`;
  const domain = `${slug(name.split(' ').slice(0, 2).join(''))}${i}.example`;
  const contacts = Array.from({ length: segment === 'consumer' ? 1 : rng.int(1, 4) }, (_, k) => {
    const cn = k === 0 && segment === 'consumer' ? person : `${rng.pick(FIRST)} ${rng.pick(LAST)}`;
    const c: Customer['contacts'][number] = {
      name: cn,
      role: segment === 'consumer' ? 'Owner' : rng.pick(ROLES),
      email: `${slug(cn.split(' ')[0] ?? 'x')}@${domain}`,
      isPrimary: k === 0,
    };
    if (rng.chance(0.6)) c.phone = `+${rng.int(1, 65)} ${rng.int(200, 999)} ${rng.int(100, 999)} ${pad(rng.int(0, 9999), 4)}`;
    return c;
  });
  const createdMs = START_MS + Math.floor(rng.next() * (END_MS - START_MS) * 0.7);
  const customer: Customer = {
    id: `cus_${pad(i, 4)}`,
    name,
    segment,
    region,
    status: rng.weighted(CUSTOMER_STATUSES, [8, 1, 1]),
    email: `hello@${domain}`,
    phone: `+${rng.int(1, 65)} ${rng.int(200, 999)} ${rng.int(100, 999)} ${pad(rng.int(0, 9999), 4)}`,
    address: address(rng, region),
    contacts,
    tags: rng.sample(TAGS, rng.int(0, 3)).sort(),
    accountManager: rng.pick(agents).id,
    lifetimeValue: 0,
    orderCount: 0,
    openTicketCount: 0,
    createdAt: iso(createdMs),
    lastContactAt: iso(createdMs + rng.int(1, 400) * 24 * HOUR_MS),
  };
  if (segment !== 'consumer') customer.website = `https://www.${domain}`;
  return customer;
}

function makeOrder(rng: Rng, i: number, customer: Customer): Order {
  const items: OrderItem[] = rng.sample(PRODUCTS, rng.int(1, 4)).map((p) => ({
    sku: p.sku,
    name: p.name,
    quantity: p.sku === 'SEAT-ADD' ? rng.int(1, 40) : rng.int(1, 3),
    unitPrice: p.price,
  }));
  const subtotal = round2(items.reduce((s, it) => s + it.quantity * it.unitPrice, 0));
  const discount = round2(rng.chance(0.3) ? subtotal * rng.pick([0.05, 0.1, 0.15]) : 0);
  const tax = round2((subtotal - discount) * 0.08);
  const createdMs = Math.max(Date.parse(customer.createdAt), START_MS + Math.floor(rng.next() * (END_MS - START_MS)));
  return {
    id: `ord_${pad(i, 5)}`,
    customerId: customer.id,
    status: rng.weighted(ORDER_STATUSES, [1, 3, 2, 8, 1, 1]),
    items,
    subtotal,
    discount,
    tax,
    total: round2(subtotal - discount + tax),
    currency: 'USD',
    shippingAddress: { ...customer.address },
    createdAt: iso(createdMs),
    updatedAt: iso(createdMs + rng.int(1, 240) * HOUR_MS),
  };
}

function makeTicket(rng: Rng, i: number, customer: Customer, orders: Order[], agents: Agent[]): Ticket {
  const [subject, tag] = rng.pick(SUBJECTS);
  const status = rng.weighted(TICKET_STATUSES, [3, 2, 1, 4, 6]);
  const createdMs = Math.max(Date.parse(customer.createdAt), START_MS + Math.floor(rng.next() * (END_MS - START_MS)));
  const updatedMs = createdMs + rng.int(1, 300) * HOUR_MS;
  const notes: Note[] = Array.from({ length: rng.int(0, 4) }, (_, k) => ({
    id: `note_${pad(i, 5)}_${k + 1}`,
    author: rng.pick(agents).id,
    body: rng.pick([
      'Asked the customer for a screenshot and the browser version.',
      'Reproduced on staging; escalated to engineering.',
      'Customer confirmed the workaround helps for now.',
      'Refund approved by billing, waiting for the payment provider.',
      'Shipped replacement via express courier.',
      'Called the primary contact; left a voicemail.',
    ]),
    internal: rng.chance(0.7),
    createdAt: iso(createdMs + (k + 1) * rng.int(1, 20) * HOUR_MS),
  }));
  const ticket: Ticket = {
    id: `tkt_${pad(i, 5)}`,
    customerId: customer.id,
    subject,
    description: `${subject}. Reported by ${customer.contacts[0]?.name ?? customer.name} of ${customer.name} via the ${rng.pick(CHANNELS)} channel. ` +
      'They say it started after the last update and affects several people on their team; please advise on next steps.',
    status,
    priority: rng.weighted(PRIORITIES, [3, 5, 2, 1]),
    channel: rng.pick(CHANNELS),
    tags: [...new Set([tag, ...rng.sample(TICKET_TAGS, rng.int(0, 2))])].sort(),
    notes,
    slaBreached: rng.chance(0.12),
    createdAt: iso(createdMs),
    updatedAt: iso(updatedMs),
  };
  const order = orders.length > 0 && rng.chance(0.5) ? rng.pick(orders) : undefined;
  if (order) ticket.orderId = order.id;
  if (status !== 'open' || rng.chance(0.5)) ticket.assignee = rng.pick(agents).id;
  if (status === 'resolved' || status === 'closed') ticket.resolvedAt = iso(updatedMs);
  return ticket;
}

const REVENUE_STATUSES = new Set<Order['status']>(['paid', 'shipped', 'delivered']);
const OPEN_STATUSES = new Set<Ticket['status']>(['open', 'in_progress', 'waiting_on_customer']);

/** True for ticket statuses that still need work. */
export function isOpenTicket(t: Ticket): boolean {
  return OPEN_STATUSES.has(t.status);
}

/** True for order statuses that count as revenue. */
export function isRevenueOrder(o: Order): boolean {
  return REVENUE_STATUSES.has(o.status);
}

/** Generates the data set. Same options, deep-equal result. ~30 ms for the defaults. */
export function generateDemoData(opts: DemoDataOptions = {}): DemoData {
  const rng = createRng(opts.seed ?? DEMO_SEED);
  const agents = makeAgents(rng);
  const customers = Array.from({ length: opts.customers ?? 2000 }, (_, i) => makeCustomer(rng, i + 1, agents));
  const byCustomer = new Map<string, Order[]>();
  const orders = Array.from({ length: opts.orders ?? 5000 }, (_, i) => {
    const customer = rng.pick(customers);
    const order = makeOrder(rng, i + 1, customer);
    byCustomer.set(customer.id, [...(byCustomer.get(customer.id) ?? []), order]);
    if (isRevenueOrder(order)) customer.lifetimeValue = round2(customer.lifetimeValue + order.total);
    customer.orderCount++;
    return order;
  });
  const tickets = Array.from({ length: opts.tickets ?? 5000 }, (_, i) => {
    const customer = rng.pick(customers);
    const ticket = makeTicket(rng, i + 1, customer, byCustomer.get(customer.id) ?? [], agents);
    if (isOpenTicket(ticket)) customer.openTicketCount++;
    return ticket;
  });
  return { agents, customers, orders, tickets };
}
