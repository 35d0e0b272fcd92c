// The @ai-sdk/code-mode peer of `npm run bench:peers`, run in a child process under Node ≥ 22.13 (the package
// needs it; ToolWeaver's own process is Node 20). argv: the install folder (holding node_modules/@ai-sdk/code-mode)
// and a JSON job file { workloads: [{ name, source, reps, idleMs? }], rounds, memoryMb, results }. Prints one JSON line
// { times: { [workload]: ms[] }, cpus: { [workload]: ms[] } } on stdout.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [dir, jobFile] = process.argv.slice(2);
const job = JSON.parse(readFileSync(jobFile, 'utf8'));
const load = (spec) => import(pathToFileURL(path.join(dir, 'node_modules', spec)).href);
const codeMode = await load('@ai-sdk/code-mode/dist/index.js');
const ai = await load('ai/dist/index.js');
const schema = ai.jsonSchema({ type: 'object', properties: { i: { type: 'number' } } });
const tools = Object.fromEntries(
  Object.entries(job.results).map(([name, value]) => [name, ai.tool({ description: name, inputSchema: schema, execute: async () => value })]),
);
const run = (source) => codeMode.experimental_runCodeMode({ js: source, tools, options: { executionPolicy: { timeoutMs: 60_000, memoryLimitBytes: job.memoryMb * 1024 * 1024, maxBridgeRequests: 2000, maxInFlightBridgeRequests: 1000, maxToolOutputBytes: 4 << 20, maxResultBytes: 2 << 20 } } });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const times = {};
const cpus = {};
for (const w of job.workloads) await run(w.source); // warm-up
for (let r = 0; r < job.rounds; r++) {
  for (const w of job.workloads) {
    times[w.name] ??= [];
    cpus[w.name] ??= [];
    for (let i = 0; i < w.reps; i++) {
      if (w.idleMs) await sleep(w.idleMs);
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      await run(w.source);
      times[w.name].push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      cpus[w.name].push((c.user + c.system) / 1000);
    }
  }
}
process.stdout.write(`${JSON.stringify({ times, cpus })}\n`);
process.exit(0);
