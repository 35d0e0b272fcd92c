// Zod schemas of the demo CRM's records: one definition is the TypeScript type, the tools'
// outputSchema and the check on structuredContent. Keep in sync with the generator in data.ts.
import { z } from 'zod';

/** Enum values of the records; the tools' filters use the same lists. */
export const SEGMENTS = ['enterprise', 'mid_market', 'smb', 'consumer'] as const;
export const REGIONS = ['north_america', 'emea', 'apac', 'latam'] as const;
export const CUSTOMER_STATUSES = ['active', 'prospect', 'churned'] as const;
export const ORDER_STATUSES = ['pending', 'paid', 'shipped', 'delivered', 'refunded', 'cancelled'] as const;
export const TICKET_STATUSES = ['open', 'in_progress', 'waiting_on_customer', 'resolved', 'closed'] as const;
export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export const CHANNELS = ['email', 'chat', 'phone', 'web'] as const;

/**
 * An integer in the JSON Schema without zod 4's safe-integer bounds (±9007199254740991), which are
 * noise in every stub and prompt. Only for values this server produces; inputs keep z.number().int().
 */
export const integer = (): z.ZodNumber => z.number().meta({ type: 'integer' });

const isoTime = z.string().describe('ISO 8601 timestamp (UTC).');

/** A postal address (customers, order shipping). */
export const AddressSchema = z.object({
  street: z.string(),
  city: z.string(),
  state: z.string().optional().describe('State or province, where the country has them.'),
  postalCode: z.string(),
  country: z.string().describe('ISO 3166-1 alpha-2 country code.'),
});

/** A person at a customer. */
export const ContactSchema = z.object({
  name: z.string(),
  role: z.string().describe('Job title, e.g. "CFO".'),
  email: z.string(),
  phone: z.string().optional(),
  isPrimary: z.boolean(),
});

/** A customer account with its derived counters (orders, open tickets, lifetime value). */
export const CustomerSchema = z.object({
  id: z.string().describe('Stable id, e.g. "cus_0001".'),
  name: z.string().describe('Company or person name.'),
  segment: z.enum(SEGMENTS),
  region: z.enum(REGIONS),
  status: z.enum(CUSTOMER_STATUSES),
  email: z.string(),
  phone: z.string(),
  website: z.string().optional(),
  address: AddressSchema,
  contacts: z.array(ContactSchema),
  tags: z.array(z.string()),
  accountManager: z.string().describe('Id of the agent who owns the account, e.g. "agt_03".'),
  lifetimeValue: z.number().describe('Sum of paid, shipped and delivered orders, in USD.'),
  orderCount: integer(),
  openTicketCount: integer(),
  createdAt: isoTime,
  lastContactAt: isoTime,
});

/** One line of an order. */
export const OrderItemSchema = z.object({
  sku: z.string(),
  name: z.string(),
  quantity: integer(),
  unitPrice: z.number().describe('USD per unit.'),
});

/** An order with line items and amounts in USD. */
export const OrderSchema = z.object({
  id: z.string().describe('Stable id, e.g. "ord_00001".'),
  customerId: z.string(),
  status: z.enum(ORDER_STATUSES),
  items: z.array(OrderItemSchema),
  subtotal: z.number(),
  discount: z.number(),
  tax: z.number(),
  total: z.number().describe('USD, after discount and tax.'),
  currency: z.literal('USD'),
  shippingAddress: AddressSchema,
  createdAt: isoTime,
  updatedAt: isoTime,
});

/** A note on a ticket. */
export const NoteSchema = z.object({
  id: z.string(),
  author: z.string(),
  body: z.string(),
  internal: z.boolean().describe('Internal notes are not visible to the customer.'),
  createdAt: isoTime,
});

/** A support ticket with its notes. */
export const TicketSchema = z.object({
  id: z.string().describe('Stable id, e.g. "tkt_00001".'),
  customerId: z.string(),
  orderId: z.string().optional().describe('The order the ticket is about, if any.'),
  subject: z.string(),
  description: z.string(),
  status: z.enum(TICKET_STATUSES),
  priority: z.enum(PRIORITIES),
  channel: z.enum(CHANNELS),
  assignee: z.string().optional().describe('Agent id, e.g. "agt_07"; absent when unassigned.'),
  tags: z.array(z.string()),
  notes: z.array(NoteSchema),
  slaBreached: z.boolean(),
  createdAt: isoTime,
  updatedAt: isoTime,
  resolvedAt: isoTime.optional(),
});

/** A support agent tickets can be assigned to. */
export const AgentSchema = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  team: z.enum(['billing', 'technical', 'onboarding', 'accounts']),
  regions: z.array(z.enum(REGIONS)),
});

/** Record types, inferred from the schemas above. */
export type Address = z.infer<typeof AddressSchema>;
export type Contact = z.infer<typeof ContactSchema>;
export type Customer = z.infer<typeof CustomerSchema>;
export type OrderItem = z.infer<typeof OrderItemSchema>;
export type Order = z.infer<typeof OrderSchema>;
export type Note = z.infer<typeof NoteSchema>;
export type Ticket = z.infer<typeof TicketSchema>;
export type Agent = z.infer<typeof AgentSchema>;
