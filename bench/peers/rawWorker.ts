// Worker entry of the raw QuickJS peer (dist/benchPeerWorker.js): runs scripts with createRawEngine and asks the
// parent thread for every tool call — one message out, one message back, as a bare worker-pool runner does.

import { parentPort, workerData } from 'node:worker_threads';
import { createRawEngine } from './rawQuickjs';

export type PeerToWorker = { type: 'run'; id: number; source: string } | { type: 'result'; callId: number; text: string };
export type PeerFromWorker =
  | { type: 'ready' }
  | { type: 'call'; callId: number; name: string; args: string }
  | { type: 'done'; id: number; value?: string; error?: string };

const port = parentPort;
if (!port) throw new Error('benchPeerWorker must run in a worker thread.');
const waiting = new Map<number, (text: string) => void>();
let nextCall = 1;
const post = (m: PeerFromWorker): void => port.postMessage(m);

void createRawEngine((workerData as { wasm: WebAssembly.Module }).wasm, (name, args) => {
  const callId = nextCall++;
  post({ type: 'call', callId, name, args });
  return new Promise((resolve) => waiting.set(callId, resolve));
}).then((engine) => {
  port.on('message', (m: PeerToWorker) => {
    if (m.type === 'result') {
      const w = waiting.get(m.callId);
      waiting.delete(m.callId);
      w?.(m.text);
      return;
    }
    engine.run(m.source).then(
      (value) => post({ type: 'done', id: m.id, value }),
      (err: unknown) => post({ type: 'done', id: m.id, error: String(err) }),
    );
  });
  post({ type: 'ready' });
});
