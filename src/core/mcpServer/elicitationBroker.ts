// Approvals in MCP server mode: asks the person behind the MCP client through elicitation (form
// mode) when the client supports it. Invariant: anything but an explicit accepted answer is 'deny'.
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { ApprovalAnswer, ApprovalBroker } from '../approvals/approvals';
import { previewValue } from '../preview/previewValue';

/** Characters of the arguments shown in an approval prompt (a valid-JSON preview). */
const MAX_ARGS_CHARS = 2_000;

const ANSWERS: ApprovalAnswer[] = ['once', 'run', 'deny'];

/** A broker over `server.elicitInput`, or undefined when the client cannot answer elicitations. */
export function createElicitationBroker(server: Server): ApprovalBroker | undefined {
  if (!server.getClientCapabilities()?.elicitation) return undefined;
  return {
    async ask(req, signal) {
      const message = [
        `A ToolWeaver script wants to call ${req.server}/${req.tool}${req.line ? ` (script line ${req.line})` : ''}.`,
        req.reason,
        `Arguments:\n${previewValue(req.args, { maxChars: MAX_ARGS_CHARS }).text}`,
      ].join('\n');
      const result = await server.elicitInput(
        {
          mode: 'form',
          message,
          requestedSchema: {
            type: 'object',
            properties: {
              decision: {
                type: 'string',
                title: 'Allow this call?',
                enum: ANSWERS,
                enumNames: ['Allow once', 'Allow for this run', 'Deny'],
              },
            },
            required: ['decision'],
          },
        },
        { signal },
      );
      const decision = result.action === 'accept' ? result.content?.decision : undefined;
      return typeof decision === 'string' && (ANSWERS as string[]).includes(decision) ? (decision as ApprovalAnswer) : 'deny';
    },
  };
}
