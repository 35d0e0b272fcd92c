// Demo tools with side effects on the in-memory store (update, note, delete, simulated email) and
// the deterministic flaky_lookup for retry demos. Nothing leaves the process.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { fail, notFound, ok } from './results';
import { NoteSchema, PRIORITIES, TICKET_STATUSES, TicketSchema, type Note, type Ticket, integer } from './schemas';
import type { DemoStore } from './store';

const TICKET_HINT = 'use list_tickets to find tickets (deleted tickets are gone for good).';
const ticketId = z.string().describe('Ticket id, e.g. "tkt_00042".');

/** Registers update_ticket, add_note, delete_ticket, send_email and flaky_lookup. */
export function registerWriteTools(server: McpServer, store: DemoStore): void {
  server.registerTool('update_ticket', {
    title: 'Update ticket',
    description: 'Changes a ticket\'s status, priority, assignee or tags. Setting the values a ticket already has changes nothing (idempotent).',
    inputSchema: z.object({
      ticketId,
      status: z.enum(TICKET_STATUSES).optional(),
      priority: z.enum(PRIORITIES).optional(),
      assignee: z.string().nullable().optional().describe('Agent id such as "agt_07"; null unassigns.'),
      tags: z.object({
        add: z.array(z.string()).default([]),
        remove: z.array(z.string()).default([]),
      }).optional(),
    }),
    outputSchema: z.object({ ticket: TicketSchema, changed: z.array(z.string()).describe('Fields that actually changed.') }),
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  }, (args) => {
    const t = store.ticketsById.get(args.ticketId);
    if (!t) return notFound('ticket', args.ticketId, 'tkt_00001', TICKET_HINT);
    if (args.assignee && !store.data.agents.some((a) => a.id === args.assignee)) {
      return fail(`No agent with id "${args.assignee}". Call list_agents for the valid ids (agt_01 … agt_${String(store.data.agents.length).padStart(2, '0')}), or pass null to unassign.`);
    }
    const changed: string[] = [];
    const now = store.now().toISOString();
    if (args.status && args.status !== t.status) {
      t.status = args.status;
      if (t.status === 'resolved' || t.status === 'closed') t.resolvedAt ??= now;
      else delete t.resolvedAt;
      changed.push('status');
    }
    if (args.priority && args.priority !== t.priority) {
      t.priority = args.priority;
      changed.push('priority');
    }
    if (args.assignee !== undefined && (args.assignee ?? undefined) !== t.assignee) {
      if (args.assignee === null) delete t.assignee;
      else t.assignee = args.assignee;
      changed.push('assignee');
    }
    if (args.tags) {
      const tags = [...new Set([...t.tags, ...args.tags.add])].filter((x) => !args.tags?.remove.includes(x)).sort();
      if (tags.join('\n') !== t.tags.join('\n')) {
        t.tags = tags;
        changed.push('tags');
      }
    }
    if (changed.length > 0) t.updatedAt = now;
    return ok({ ticket: t, changed });
  });

  server.registerTool('add_note', {
    title: 'Add note to ticket',
    description: 'Appends a note to a ticket. Each call adds another note (not idempotent).',
    inputSchema: z.object({
      ticketId,
      body: z.string().min(1).max(5000).describe('Note text, 1–5,000 characters.'),
      author: z.string().default('api').describe('Agent id or "api".'),
      internal: z.boolean().default(true).describe('Internal notes are not visible to the customer.'),
    }),
    outputSchema: z.object({ ticketId: z.string(), note: NoteSchema, noteCount: integer() }),
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  }, (args) => {
    const t = store.ticketsById.get(args.ticketId);
    if (!t) return notFound('ticket', args.ticketId, 'tkt_00001', TICKET_HINT);
    const now = store.now().toISOString();
    const note: Note = { id: `note_api_${store.nextSeq()}`, author: args.author, body: args.body, internal: args.internal, createdAt: now };
    t.notes.push(note);
    t.updatedAt = now;
    return ok({ ticketId: t.id, note, noteCount: t.notes.length });
  });

  server.registerTool('delete_ticket', {
    title: 'Delete ticket',
    description: 'Permanently deletes a ticket and its notes from this server\'s data. Cannot be undone.',
    inputSchema: z.object({ ticketId, reason: z.string().optional().describe('Why, for the audit log.') }),
    outputSchema: z.object({ deleted: z.literal(true), ticketId: z.string(), customerId: z.string() }),
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
  }, (args) => {
    const t: Ticket | undefined = store.ticketsById.get(args.ticketId);
    if (!t) return notFound('ticket', args.ticketId, 'tkt_00001', TICKET_HINT);
    store.ticketsById.delete(t.id);
    store.data.tickets.splice(store.data.tickets.indexOf(t), 1);
    const c = store.customersById.get(t.customerId);
    if (c && ['open', 'in_progress', 'waiting_on_customer'].includes(t.status)) c.openTicketCount--;
    return ok({ deleted: true, ticketId: t.id, customerId: t.customerId });
  });

  server.registerTool('send_email', {
    title: 'Send email (simulated)',
    description: 'Queues an email to customers (by customer id, to their primary contact) or to addresses. Simulated: the message is recorded in this server\'s outbox and never leaves the process.',
    inputSchema: z.object({
      to: z.array(z.string()).min(1).max(20).describe('Customer ids ("cus_0042") or email addresses.'),
      subject: z.string().min(1).max(200),
      body: z.string().min(1).max(20000),
      template: z.enum(['plain', 'follow_up', 'renewal', 'apology']).default('plain'),
      cc: z.array(z.string()).optional(),
    }),
    outputSchema: z.object({
      messageId: z.string(),
      status: z.literal('queued'),
      recipients: z.array(z.string()).describe('Resolved email addresses.'),
      queuedAt: z.string(),
      simulated: z.literal(true),
    }),
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  }, (args) => {
    const recipients: string[] = [];
    for (const to of args.to) {
      if (to.includes('@')) recipients.push(to);
      else {
        const c = store.customersById.get(to);
        if (!c) return notFound('customer', to, 'cus_0001', 'pass a customer id or an email address containing "@".');
        recipients.push(c.contacts.find((k) => k.isPrimary)?.email ?? c.email);
      }
    }
    const queuedAt = store.now().toISOString();
    const messageId = `msg_${String(store.nextSeq()).padStart(6, '0')}`;
    store.outbox.push({ messageId, to: recipients, subject: args.subject, queuedAt });
    return ok({ messageId, status: 'queued', recipients, queuedAt, simulated: true });
  });

  server.registerTool('flaky_lookup', {
    title: '[demo] Flaky lookup',
    description: 'DEMO ONLY, for retry examples: fails with a simulated transient error on the first `failures` calls for each key (counted per server instance), then succeeds with a deterministic credit score for the key.',
    inputSchema: z.object({
      key: z.string().min(1).describe('Any key, e.g. a customer id.'),
      failures: z.number().int().min(0).max(10).default(2).describe('How many calls per key fail before it succeeds.'),
    }),
    outputSchema: z.object({
      key: z.string(),
      attempt: integer().describe('1-based number of this call for the key.'),
      score: integer().describe('Deterministic value in 300–850 derived from the key.'),
      tier: z.enum(['poor', 'fair', 'good', 'excellent']),
    }),
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  }, (args) => {
    const attempt = (store.flakyCalls.get(args.key) ?? 0) + 1;
    store.flakyCalls.set(args.key, attempt);
    if (attempt <= args.failures) {
      return fail(`[demo] Simulated transient failure ${attempt} of ${args.failures} for key "${args.key}" (503 upstream unavailable). Retry: call ${args.failures + 1} for this key succeeds.`);
    }
    let h = 2166136261;
    for (const ch of args.key) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
    const score = 300 + (h % 551);
    const tier = score < 580 ? 'poor' : score < 670 ? 'fair' : score < 740 ? 'good' : 'excellent';
    return ok({ key: args.key, attempt, score, tier });
  });
}
