// Cost per request of the Responses lane next to the Chat Completions lane: the same fake upstream (upstream.mjs),
// one Switchyard process, the same load for each lane; the gateway's CPU time (from /proc) divided by the requests
// it served, and the latency the load generator saw.
//
//   node bench/harness/lanes.mjs            # builds nothing: uses src/Switchyard/bin/Release (dotnet build first)
//   BENCH_QUICK=1 node bench/harness/lanes.mjs
// Environment: SWITCHYARD_DLL, LANES_RATE (non-stream requests/s, default 200), LANES_SECONDS (default 10),
// LANES_STREAMS (concurrent streams, default 10), LANES_CHUNKS (chunks per stream, default 50).
// Prints a Markdown table and writes docs/benchmarks/lanes.json.
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const quick = process.env.BENCH_QUICK === '1';
const dll = process.env.SWITCHYARD_DLL ?? path.join(repo, 'src/Switchyard/bin/Release/net10.0/switchyard.dll');
const rate = Number(process.env.LANES_RATE ?? 200);
const seconds = Number(process.env.LANES_SECONDS ?? (quick ? 3 : 10));
const streams = Number(process.env.LANES_STREAMS ?? 10);
const chunks = Number(process.env.LANES_CHUNKS ?? 50);
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-lanes-'));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const children = [];
process.on('exit', () => { for (const c of children) try { c.kill('SIGKILL'); } catch { /* gone */ } });

function freePort() {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => { const { port } = server.address(); server.close(() => resolve(port)); });
  });
}

function start(cmd, args, env, name) {
  const out = fs.openSync(path.join(work, `${name}.log`), 'a');
  const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', out, out] });
  children.push(child);
  return child;
}

async function waitReady(url) {
  for (let i = 0; i < 600; i++) {
    try { if ((await fetch(url)).status === 200) return; } catch { /* not yet */ }
    await sleep(100);
  }
  throw new Error(`${url} did not become ready`);
}

function cpuSec(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / 100; // utime + stime, in clock ticks of 1/100 s
}

function loadgen(args) {
  const out = execFileSync(process.execPath, [path.join(here, 'loadgen.mjs'), ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(out.trim().split('\n').at(-1));
}

const bodies = {
  chat: { model: 'deepseek-v4-flash', messages: [{ role: 'user', content: 'Hello' }] },
  'responses (store:false)': { model: 'deepseek-v4-flash', input: 'Hello', store: false },
  'responses (stored)': { model: 'deepseek-v4-flash', input: 'Hello' },
};
const paths = { chat: '/v1/chat/completions', 'responses (store:false)': '/v1/responses', 'responses (stored)': '/v1/responses' };

const upstreamPort = await freePort();
const gatewayPort = await freePort();
start(process.execPath, [path.join(here, 'upstream.mjs'), '--port', String(upstreamPort), '--chunks', String(chunks), '--interval-ms', '2'], {}, 'upstream');
const gateway = start('dotnet', [dll, '--urls', `http://127.0.0.1:${gatewayPort}`], {
  Switchyard__Upstream__BaseUrl: `http://127.0.0.1:${upstreamPort}`,
  Switchyard__Upstream__ApiKey: 'sk-bench',
  Switchyard__DataDirectory: path.join(work, 'data'),
  Logging__LogLevel__Default: 'Warning',
}, 'gateway');
await waitReady(`http://127.0.0.1:${gatewayPort}/healthz`);

// Every case first runs once unmeasured (JIT tiering and connection pools settle for all lanes before any is
// measured: the first lane measured would otherwise pay for the whole process's warm-up), then once measured.
const cases = [];
for (const [lane, body] of Object.entries(bodies)) {
  for (const stream of [false, true]) {
    if (stream && lane === 'responses (stored)') continue;
    const file = path.join(work, `${lane.replace(/\W+/g, '-')}-${stream}.json`);
    fs.writeFileSync(file, JSON.stringify(stream ? { ...body, stream: true } : body));
    const common = ['--url', `http://127.0.0.1:${gatewayPort}${paths[lane]}`, '--body', file, '--header', 'authorization: Bearer bench'];
    cases.push({ lane, stream, run: (duration) => loadgen(stream
      ? ['streams', ...common, '--concurrency', String(streams), '--duration', String(duration), '--chunks', String(chunks)]
      : ['rate', ...common, '--rate', String(rate), '--duration', String(duration), '--warmup', '0']) });
  }
}

for (const c of cases) c.run(quick ? 1 : 3);
const results = [];
for (const { lane, stream, run } of cases) {
  const before = cpuSec(gateway.pid);
  const load = os.loadavg()[0];
  const r = run(seconds);
  const cpu = cpuSec(gateway.pid) - before;
  const served = r.ok + r.errors;
  results.push({
    lane, stream, requests: served, errors: r.errors, cpuMsPerRequest: +(cpu * 1000 / Math.max(1, served)).toFixed(3),
    p50Ms: +(stream ? r.ttft.p50 : r.lat.p50).toFixed(2), p99Ms: +(stream ? r.ttft.p99 : r.lat.p99).toFixed(2), load1: +load.toFixed(2),
  });
  process.stderr.write(`${lane} ${stream ? 'stream' : 'json'}: ${JSON.stringify(results.at(-1))}\n`);
}

const table = [
  '| Lane | Answer | Requests | Errors | Gateway CPU per request | Latency p50 / p99 (streams: time to first token) |',
  '|---|---|---|---|---|---|',
  ...results.map((r) => `| ${r.lane} | ${r.stream ? `SSE, ${chunks} chunks` : 'JSON'} | ${r.requests} | ${r.errors} | ${r.cpuMsPerRequest} ms | ${r.p50Ms} / ${r.p99Ms} ms |`),
].join('\n');
process.stdout.write(`${table}\n`);
fs.writeFileSync(path.join(repo, 'docs/benchmarks/lanes.json'), JSON.stringify({
  date: new Date().toISOString(), cpus: os.cpus().length, rate, seconds, streams, chunks, results,
}, null, 2) + '\n');
for (const c of children) c.kill('SIGTERM');
await sleep(500);
fs.rmSync(work, { recursive: true, force: true });
