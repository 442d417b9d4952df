// Orchestrates the whole benchmark: starts the fake upstream, Switchyard (default, and with the fsync-per-response ledger option) and
// claude-code-router, runs every scenario against every system in one run, and writes
// docs/benchmarks/results.json, docs/benchmarks/*.svg and the generated part of docs/benchmarks.md.
//
// Run it through bench/run.sh (which builds Switchyard and installs claude-code-router first).
// Environment: BENCH_QUICK=1 (short phases, for trying the harness), BENCH_SCENARIOS=1,2,3,4,5,
// BENCH_STREAM_LEVELS=1000,5000,10000, BENCH_WORK=<dir>, SWITCHYARD_DLL, SWITCHYARD_PUBLISHED_BIN, CCR_CLI, SWITCHYARD_AOT_BIN,
// BENCH_UPSTREAM_HTTP=h1|h2c (how Switchyard reaches the fake upstream in scenarios 1, 2, 4; default h1),
// BENCH_S3_UPSTREAM_HTTP=h1|h2c (scenario 3; default h2c).
import { spawn, execSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { lineChart, barChart } from './svg.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const quick = process.env.BENCH_QUICK === '1';
const scenarios = new Set((process.env.BENCH_SCENARIOS ?? '1,2,3,4,5').split(',').map(Number));
const work = process.env.BENCH_WORK ?? fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-bench-'));
const dll = process.env.SWITCHYARD_DLL ?? path.join(repo, 'src/Switchyard/bin/Release/net10.0/switchyard.dll');
const ccrCli = process.env.CCR_CLI;
const aotBin = process.env.SWITCHYARD_AOT_BIN;
const publishedBin = process.env.SWITCHYARD_PUBLISHED_BIN;
const docsDir = path.join(repo, 'docs/benchmarks');
fs.mkdirSync(docsDir, { recursive: true });
fs.mkdirSync(work, { recursive: true });

const log = (...a) => process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${a.join(' ')}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const nowMs = () => Number(process.hrtime.bigint()) / 1e6;
const loadavg = () => os.loadavg().map((v) => +v.toFixed(2));

// ---------- bodies ----------
const bodies = path.join(here, 'bodies');
const fixture = JSON.parse(fs.readFileSync(path.join(repo, 'tests/fixtures/claude-code/first-request.json'), 'utf8'));
const countBody = path.join(work, 'count-tokens.json');
fs.writeFileSync(countBody, JSON.stringify(fixture.body));

// ---------- processes ----------
const children = new Set();
function start(cmd, args, { env = {}, logFile }) {
  const out = fs.openSync(logFile, 'a');
  const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', out, out] });
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}
async function stop(child) {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const t = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(t);
}
process.on('exit', () => { for (const c of children) try { c.kill('SIGKILL'); } catch { /* gone */ } });
process.on('SIGINT', () => process.exit(130));

/** POSTs a body file; resolves to the status once the whole answer is read (0 on a connection error). */
function postFile(port, p, file) {
  return new Promise((resolve) => {
    const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: p, agent: false, timeout: 10000,
      headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', 'x-api-key': 'bench' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', () => resolve(0));
    req.on('timeout', () => { req.destroy(); resolve(0); });
    req.end(fs.readFileSync(file));
  });
}
function httpStatus(port, method, p) {
  return new Promise((resolve) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: p, agent: false, timeout: 1000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', () => resolve(0));
    req.on('timeout', () => { req.destroy(); resolve(0); });
    req.end();
  });
}
/** Fails when something already listens on a port: a process left from an earlier run would be measured instead. */
async function assertPortFree(...ports) {
  for (const port of ports) {
    const inUse = await new Promise((resolve) => {
      const socket = net.connect({ host: '127.0.0.1', port });
      socket.once('connect', () => { socket.destroy(); resolve(true); });
      socket.once('error', () => resolve(false));
    });
    if (inUse) throw new Error(`port ${port} is already in use (a process left from an earlier run?); stop it and run again`);
  }
}
async function waitReady(port, p, okStatus, t0, timeoutMs = 60000) {
  while (nowMs() - t0 < timeoutMs) {
    const s = await httpStatus(port, 'GET', p);
    if (okStatus(s)) return nowMs() - t0;
    await sleep(2);
  }
  throw new Error(`port ${port} not ready after ${timeoutMs} ms`);
}
function rssMb(pid) {
  try { return Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024; } catch { return null; }
}
function cpuSec(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch { return null; }
}

// ---------- the systems ----------
const UP = 9100;
const UP_H2C = 9101; // the same fake upstream over HTTP/2 with prior knowledge (h2c)
// How Switchyard reaches the upstream: HTTP/1.1 (a socket per request in flight) or h2c (multiplexed).
let switchyardUpstream = process.env.BENCH_UPSTREAM_HTTP ?? 'h1';
let upstream;
async function startUpstream() {
  await assertPortFree(UP, UP_H2C);
  upstream = start('node', [path.join(here, 'upstream.mjs'), '--port', String(UP), '--h2c-port', String(UP_H2C)],
    { logFile: path.join(work, 'upstream.log') });
  await waitReady(UP, '/_stats', (s) => s === 200, nowMs());
}
function upstreamConfig(chunks, intervalMs) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: UP, method: 'POST', path: '/_config' }, (res) => { res.resume(); res.on('end', resolve); });
    req.on('error', reject);
    req.end(JSON.stringify({ chunks, intervalMs }));
  });
}

const systems = {
  direct: {
    label: 'fake upstream (direct)', port: UP, paths: { messages: '/chat/completions' },
    bodies: { small: 'openai-small.json', stream: 'openai-stream.json' }, pid: () => upstream.pid,
  },
  switchyard: {
    label: 'Switchyard', port: 9200, fsync: false,
    paths: { messages: '/v1/messages', count: '/v1/messages/count_tokens' },
    bodies: { small: 'anthropic-small.json', stream: 'anthropic-stream.json' },
  },
  'switchyard-fsync': {
    label: 'Switchyard, OutboxFsync=true', port: 9201, fsync: true,
    paths: { messages: '/v1/messages', count: '/v1/messages/count_tokens' },
    bodies: { small: 'anthropic-small.json', stream: 'anthropic-stream.json' },
  },
  ccr: {
    label: 'claude-code-router 2.0.0', port: 9300,
    paths: { messages: '/v1/messages', count: '/v1/messages/count_tokens' },
    bodies: { small: 'anthropic-small.json', stream: 'anthropic-stream.json' },
  },
};
if (!ccrCli) delete systems.ccr;
const gateways = Object.keys(systems).filter((s) => s !== 'direct');

function switchyardCommand(sys, binary) {
  const data = fs.mkdtempSync(path.join(work, `data-${sys.port}-`));
  const env = {
    Switchyard__Upstream__BaseUrl: `http://127.0.0.1:${switchyardUpstream === 'h2c' ? UP_H2C : UP}`,
    Switchyard__Upstream__HttpVersion: switchyardUpstream === 'h2c' ? 'Http2' : 'Auto',
    Switchyard__Upstream__ApiKey: 'sk-bench',
    Switchyard__DataDirectory: data,
    Switchyard__Storage__OutboxFsync: sys.fsync ? 'true' : 'false',
    // The default upstream account limit (2,500 concurrent flash requests, DeepSeek's) would queue scenario 3.
    'Switchyard__Limits__Models__deepseek-v4-flash__MaxConcurrency': '100000',
    Logging__LogLevel__Default: 'Warning',
    'Logging__LogLevel__Microsoft.AspNetCore': 'Warning',
    DOTNET_gcServer: process.env.DOTNET_gcServer ?? '',
  };
  if (!env.DOTNET_gcServer) delete env.DOTNET_gcServer;
  const args = ['--urls', `http://127.0.0.1:${sys.port}`];
  return binary ? { cmd: binary, args, env } : { cmd: 'dotnet', args: [dll, ...args], env };
}

function ccrCommand(sys) {
  const home = fs.mkdtempSync(path.join(work, 'ccr-home-'));
  fs.mkdirSync(path.join(home, '.claude-code-router'), { recursive: true });
  fs.writeFileSync(path.join(home, '.claude-code-router/config.json'), JSON.stringify({
    LOG: false, LOG_LEVEL: 'warn', HOST: '127.0.0.1', PORT: sys.port, API_TIMEOUT_MS: 600000, NON_INTERACTIVE_MODE: true,
    Providers: [{
      name: 'deepseek', api_base_url: `http://127.0.0.1:${UP}/chat/completions`, api_key: 'sk-bench',
      models: ['deepseek-v4-flash'], transformer: { use: ['deepseek'] },
    }],
    Router: { default: 'deepseek,deepseek-v4-flash' },
  }, null, 2));
  return { cmd: 'node', args: [ccrCli, 'start'], env: { HOME: home } };
}

/** Starts a gateway and measures start → ready. */
async function launch(name, { binary } = {}) {
  const sys = systems[name];
  const { cmd, args, env } = name === 'ccr' ? ccrCommand(sys) : switchyardCommand(sys, binary);
  await assertPortFree(sys.port);
  const t0 = nowMs();
  const child = start(cmd, args, { env, logFile: path.join(work, `${name}.log`) });
  const readyMs = name === 'ccr'
    ? await waitReady(sys.port, '/', (s) => s > 0, t0)
    : await waitReady(sys.port, '/healthz', (s) => s === 200, t0);
  sys.child = child;
  sys.pid = () => child.pid;
  return { child, readyMs, t0 };
}

/** JIT warm-up (both .NET's tiered JIT and V8 need a few thousand calls): not measured. */
async function warm(name) {
  await loadgen(['rate', '--url', target(name, 'messages'), '--body', body(name, 'small'), '--rate', '300', '--duration', quick ? '2' : '6', '--warmup', '0']);
  if (systems[name].paths.count) {
    await loadgen(['closed', '--url', target(name, 'count'), '--body', countBody, '--concurrency', '2', '--duration', '2', '--warmup', '0']);
  }
}

async function relaunch(name) {
  await stop(systems[name].child);
  await sleep(300);
  return launch(name);
}

// ---------- load generator ----------
function loadgen(args) {
  return new Promise((resolve, reject) => {
    const child = spawn('node', [path.join(here, 'loadgen.mjs'), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.on('exit', (code) => {
      try { resolve(JSON.parse(out.trim().split('\n').pop())); } catch { reject(new Error(`loadgen exit ${code}: ${out}`)); }
    });
  });
}
const target = (name, kind) => `http://127.0.0.1:${systems[name].port}${systems[name].paths[kind]}`;
const body = (name, kind) => path.join(bodies, systems[name].bodies[kind]);

async function rateRun(name, rate, duration, warmup) {
  const pid = systems[name].pid();
  const c0 = cpuSec(pid);
  const r = await loadgen(['rate', '--url', target(name, 'messages'), '--body', body(name, 'small'), '--rate', String(rate),
    '--duration', String(duration), '--warmup', String(warmup), '--expect', 'Hello', '--timeout', '10000']);
  const c1 = cpuSec(pid);
  const requests = Math.round(rate * (duration + warmup));
  r.cpuMsPerRequest = c0 !== null && c1 !== null ? ((c1 - c0) * 1000) / requests : null;
  r.load = loadavg();
  return r;
}

// ---------- scenarios ----------
const results = {
  startedAt: new Date().toISOString(), quick, machine: {}, systems: Object.fromEntries(Object.entries(systems).map(([k, v]) => [k, v.label])),
  s1: { rates: {}, max: {} }, s2: {}, s3: {}, s4: {}, s5: {},
};

function machine() {
  const sh = (c) => { try { return execSync(c, { encoding: 'utf8' }).trim(); } catch { return '?'; } };
  results.machine = {
    cpu: sh("lscpu | sed -n 's/^Model name:\\s*//p'"), cores: os.cpus().length,
    memGb: +(os.totalmem() / 2 ** 30).toFixed(1), kernel: sh('uname -r'), os: sh('. /etc/os-release; echo $PRETTY_NAME'),
    dotnet: sh('dotnet --version'), node: process.version, nofile: sh('ulimit -n'), loadAtStart: loadavg(),
  };
}

async function scenario5() {
  log('scenario 5: start-up and idle memory');
  const runs = quick ? 2 : 5;
  const measure = async (name, opts = {}) => {
    const ready = [];
    const idle = [];
    const answer = [];
    const afterStream = [];
    const sys = systems[name];
    for (let i = 0; i < runs; i++) {
      await stop(sys.child);
      await sleep(500);
      const { child, readyMs, t0 } = await launch(name, opts);
      ready.push(readyMs);
      // The first real answer (non-streaming /v1/messages) right after ready; then idle; then the first stream,
      // which loads what only counting needs (the tokenizer), and the memory after it.
      const ok = await postFile(sys.port, sys.paths.messages, body(name, 'small'));
      answer.push(ok === 200 ? nowMs() - t0 : null);
      await sleep(Math.max(0, t0 + readyMs + 3000 - nowMs()));
      idle.push(rssMb(child.pid));
      await postFile(sys.port, sys.paths.messages, body(name, 'stream'));
      await sleep(500);
      afterStream.push(rssMb(child.pid));
    }
    const med = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
    return {
      readyMs: ready, idleRssMb: idle, readyMedianMs: med(ready), idleRssMedianMb: med(idle),
      firstAnswerMs: answer, firstAnswerMedianMs: med(answer.filter((v) => v !== null)), rssAfterStreamMb: afterStream, rssAfterStreamMedianMb: med(afterStream),
    };
  };
  for (const name of gateways) results.s5[name] = await measure(name);
  if (publishedBin && fs.existsSync(publishedBin)) {
    systems['switchyard-published'] = { ...systems.switchyard, label: 'Switchyard (published: trimmed, ReadyToRun)', port: 9203 };
    results.systems['switchyard-published'] = systems['switchyard-published'].label;
    results.s5['switchyard-published'] = await measure('switchyard-published', { binary: publishedBin });
    await stop(systems['switchyard-published'].child);
    delete systems['switchyard-published'];
  }
  if (aotBin && fs.existsSync(aotBin)) {
    systems['switchyard-aot'] = { ...systems.switchyard, label: 'Switchyard (Native AOT)', port: 9202 };
    results.s5['switchyard-aot'] = await measure('switchyard-aot', { binary: aotBin });
    await stop(systems['switchyard-aot'].child);
    delete systems['switchyard-aot'];
  }
}

async function scenario1() {
  log('scenario 1: non-streaming, fixed rates');
  const duration = quick ? 3 : 10;
  const warmup = quick ? 1 : 3;
  for (const rate of [500, 1000, 2000]) {
    results.s1.rates[rate] = {};
    for (const name of Object.keys(systems)) {
      const r = await rateRun(name, rate, duration, warmup);
      results.s1.rates[rate][name] = r;
      log(`  ${name} @${rate}/s: p50 ${r.lat?.p50} p99 ${r.lat?.p99} ms, errors ${r.errors}, achieved ${r.achieved.toFixed(0)}/s, load ${r.load}`);
    }
  }
  log('scenario 1: highest sustained rate');
  const steps = [100, 200, 300, 500, 750, 1000, 1500, 2000, 3000, 4000, 5000, 6000, 8000, 10000, 12000, 15000, 20000, 25000, 30000];
  for (const name of Object.keys(systems)) {
    const tried = [];
    let best = 0;
    for (const rate of steps) {
      const passes = (r) => r.errors === 0 && r.unfinished === 0 && r.latSched && r.latSched.p99 <= 100 && r.achieved >= 0.95 * rate;
      let r = await rateRun(name, rate, quick ? 2 : 5, 1);
      let pass = passes(r);
      if (!pass) {
        // The machine is shared: a step fails only if it fails twice in a row.
        await sleep(1000);
        r = await rateRun(name, rate, quick ? 2 : 5, 1);
        pass = passes(r);
      }
      tried.push({ rate, pass, errors: r.errors, achieved: Math.round(r.achieved), p50: r.lat?.p50, p99: r.lat?.p99, p99Sched: r.latSched?.p99, cpuMsPerRequest: r.cpuMsPerRequest, load: r.load });
      log(`  ${name} @${rate}/s: ${pass ? 'ok' : 'FAIL'} achieved ${r.achieved.toFixed(0)} p99(sched) ${r.latSched?.p99} errors ${r.errors}`);
      if (!pass) break;
      best = rate;
    }
    results.s1.max[name] = { sustained: best, steps: tried };
    if (name !== 'direct') { await relaunch(name); await warm(name); } // a clean, warm process for what follows
  }
}

async function scenario2() {
  log('scenario 2: streaming, 200 chunks');
  const intervalMs = 10;
  await upstreamConfig(200, intervalMs);
  for (const name of Object.keys(systems)) {
    const r = await loadgen(['streams', '--url', target(name, 'messages'), '--body', body(name, 'stream'), '--concurrency', '10',
      '--duration', String(quick ? 4 : 15), '--chunks', '200', '--timeout', '60000']);
    r.intervalMs = intervalMs;
    r.load = loadavg();
    results.s2[name] = r;
    log(`  ${name}: ttft p50 ${r.ttft?.p50} p99 ${r.ttft?.p99}; chunk p50 ${r.chunkLatency?.p50} p99 ${r.chunkLatency?.p99} ms; errors ${r.errors}`);
  }
}

async function scenario3() {
  log('scenario 3: many slow streams (one chunk per 100 ms)');
  const levels = (process.env.BENCH_STREAM_LEVELS ?? (quick ? '200,1000' : '1000,5000,9500,10000')).split(',').map(Number);
  const chunks = quick ? 60 : 150; // 6 s / 15 s per stream
  await upstreamConfig(chunks, 100);
  // Every gateway is relaunched per level below. HTTP/1.1 would need a second socket per stream, and 10,000 streams
  // then do not fit in a 20,000 file-descriptor limit.
  switchyardUpstream = process.env.BENCH_S3_UPSTREAM_HTTP ?? 'h2c';
  results.s3UpstreamHttp = switchyardUpstream;
  for (const name of Object.keys(systems)) {
    results.s3[name] = {};
    for (const n of levels) {
      let idleRss = null;
      if (name !== 'direct') {
        await relaunch(name);
        await sleep(2000);
        idleRss = rssMb(systems[name].pid());
      } else {
        idleRss = rssMb(upstream.pid);
      }
      const r = await loadgen(['hold', '--url', target(name, 'messages'), '--body', body(name, 'stream'), '--streams', String(n),
        '--ramp', '2000', '--chunks', String(chunks), '--pid', String(systems[name].pid()), '--timeout', '120000', '--max-conns', '20000']);
      r.idleRssMb = idleRss;
      r.mbPerStream = r.rssHoldMb !== null && idleRss !== null ? (r.rssHoldMb - idleRss) / n : null;
      r.kbPerStream = r.mbPerStream !== null ? r.mbPerStream * 1024 : null;
      r.load = loadavg();
      results.s3[name][n] = r;
      log(`  ${name} x${n}: ok ${r.ok} errors ${r.errors} ${JSON.stringify(r.errorsByKind)} rss ${r.rssHoldMb?.toFixed(0)} MB (${r.kbPerStream?.toFixed(1)} KB/stream) cpu ${r.cpuCores?.toFixed(2)}`);
      await sleep(3000); // let sockets in TIME_WAIT drain a little
    }
  }
}

async function scenario4() {
  log('scenario 4: count_tokens (Claude Code fixture, 75 KB)');
  for (const name of gateways) {
    const r = await loadgen(['closed', '--url', target(name, 'count'), '--body', countBody, '--concurrency', '4',
      '--duration', String(quick ? 3 : 10), '--warmup', '2', '--expect', 'input_tokens']);
    r.load = loadavg();
    results.s4[name] = r;
    log(`  ${name}: ${r.perSecond.toFixed(0)} calls/s, p50 ${r.lat?.p50} ms, errors ${r.errors}`);
  }
}

// ---------- report ----------
const f1 = (v, d = 2) => (v === null || v === undefined || Number.isNaN(v) ? '–' : Number(v).toFixed(d));
function writeReport() {
  fs.writeFileSync(path.join(docsDir, 'results.json'), JSON.stringify(results, null, 1));
  const names = Object.keys(results.systems);
  const gws = names.filter((n) => n !== 'direct');
  const L = [];
  const m = results.machine;
  L.push(`Run of ${results.startedAt}${results.previousRun ? ` (scenarios ${(results.scenariosRun ?? [...scenarios]).join(', ')}; the others from the run of ${results.previousRun})` : ''}${quick ? ' (BENCH_QUICK: short phases)' : ''}. Machine: ${m.cpu}, ${m.cores} cores, ${m.memGb} GB RAM, ` +
    `${m.os}, kernel ${m.kernel}, .NET SDK ${m.dotnet}, Node ${m.node}, \`ulimit -n\` ${m.nofile}. Load average at start: ${m.loadAtStart?.join(' / ')}` +
    `${results.finishedLoad ? `; at the end: ${results.finishedLoad.join(' / ')}` : ''}.`);
  L.push('');
  if (Object.keys(results.s1.rates).length) {
    L.push('### 1. Non-streaming `POST /v1/messages` (Anthropic in, OpenAI upstream), open loop');
    L.push('');
    L.push('Latency from the moment each request was written to its socket; *added* = system − direct at the same rate. ' +
      '"sched. p99" is measured from the scheduled send time instead (includes queueing in the generator when the system falls behind).');
    L.push('');
    L.push('| Rate (req/s) | System | p50 ms | p99 ms | p99.9 ms | sched. p99 ms | added p50 ms | added p99 ms | errors | achieved req/s | CPU ms/request | load avg |');
    L.push('|---|---|---|---|---|---|---|---|---|---|---|---|');
    for (const [rate, per] of Object.entries(results.s1.rates)) {
      const d = per.direct?.lat;
      for (const n of names) {
        const r = per[n];
        if (!r) continue;
        const added = (k) => (n === 'direct' || !d || !r.lat ? '–' : f1(r.lat[k] - d[k], 3));
        L.push(`| ${rate} | ${results.systems[n]} | ${f1(r.lat?.p50, 3)} | ${f1(r.lat?.p99, 3)} | ${f1(r.lat?.p99_9)} | ${f1(r.latSched?.p99)} | ${added('p50')} | ${added('p99')} | ${r.errors} | ${f1(r.achieved, 0)} | ${f1(r.cpuMsPerRequest, 3)} | ${r.load?.[0]} |`);
      }
    }
    L.push('');
    L.push('Highest sustained rate (5 s steps after 1 s at the same rate; a step passes with zero errors, ≥ 95 % of the offered rate served and sched. p99 ≤ 100 ms; a failing step is retried once, because the machine is shared):');
    L.push('');
    L.push('| System | sustained req/s | first failing step | vs claude-code-router |');
    L.push('|---|---|---|---|');
    const ccrMax = results.s1.max.ccr?.sustained;
    for (const n of names) {
      const mx = results.s1.max[n];
      if (!mx) continue;
      const fail = mx.steps.find((s) => !s.pass);
      L.push(`| ${results.systems[n]} | ${mx.sustained} | ${fail ? `${fail.rate}/s: achieved ${fail.achieved}, sched. p99 ${f1(fail.p99Sched, 1)} ms, errors ${fail.errors}` : 'none (top step passed)'} | ${ccrMax ? `${f1(mx.sustained / ccrMax, 1)}×` : '–'} |`);
    }
    L.push('');
    L.push('![added latency](benchmarks/added-latency.svg)');
    L.push('');
    L.push('![latency against offered rate](benchmarks/rate-steps.svg)');
    L.push('');
  }
  if (Object.keys(results.s2).length) {
    L.push('### 2. Streaming, 200 chunks per answer (one every 10 ms), 10 streams at a time');
    L.push('');
    L.push('TTFT = request written → first content chunk read. Chunk latency = chunk read − the upstream\'s send stamp inside the chunk text (same clock).');
    L.push('');
    L.push('| System | streams ok | errors | TTFT p50 ms | TTFT p99 ms | added TTFT p50 ms | chunk p50 ms | chunk p99 ms | added chunk p50 ms | added chunk p99 ms |');
    L.push('|---|---|---|---|---|---|---|---|---|---|');
    const d = results.s2.direct;
    for (const n of names) {
      const r = results.s2[n];
      if (!r) continue;
      const add = (a, k) => (n === 'direct' || !d?.[a] || !r[a] ? '–' : f1(r[a][k] - d[a][k], 3));
      L.push(`| ${results.systems[n]} | ${r.ok} | ${r.errors} | ${f1(r.ttft?.p50, 3)} | ${f1(r.ttft?.p99, 3)} | ${add('ttft', 'p50')} | ${f1(r.chunkLatency?.p50, 3)} | ${f1(r.chunkLatency?.p99, 3)} | ${add('chunkLatency', 'p50')} | ${add('chunkLatency', 'p99')} |`);
    }
    L.push('');
  }
  if (Object.keys(results.s3).length) {
    L.push('### 3. Many slow streams at once (one chunk per 100 ms, 15 s each, opened at 2,000/s)');
    L.push('');
    L.push('RSS from `/proc/<pid>/status` while every stream was open (max over the hold window); per stream = (that − RSS of the fresh idle process) / streams. ' +
      'CPU = cores used by the system during the hold window (100 % of one core = 1.00). The direct row measures the fake upstream process. ' +
      (results.s3UpstreamHttp === 'h1'
        ? 'Switchyard reached the fake upstream over HTTP/1.1 (one upstream socket per stream).'
        : 'Switchyard reached the fake upstream over HTTP/2 with prior knowledge (h2c, `HttpVersion: Http2`; at most 1,000 streams per connection); CCR and the direct row use HTTP/1.1.'));
    L.push('');
    L.push('| System | streams | ok | errors | all open | RSS idle MB | RSS held MB | KB per stream | CPU cores | chunk latency p50 / p99 ms |');
    L.push('|---|---|---|---|---|---|---|---|---|---|');
    for (const n of names) {
      for (const [k, r] of Object.entries(results.s3[n] ?? {})) {
        const errs = r.errors ? `${r.errors} (${Object.entries(r.errorsByKind).map(([a, b]) => `${a}: ${b}`).join(', ')})` : '0';
        L.push(`| ${results.systems[n]} | ${k} | ${r.ok} | ${errs} | ${r.allEstablished ? 'yes' : 'no'} | ${f1(r.idleRssMb, 0)} | ${f1(r.rssHoldMb, 0)} | ${f1(r.kbPerStream, 1)} | ${f1(r.cpuCores)} | ${f1(r.chunkLatency?.p50, 1)} / ${f1(r.chunkLatency?.p99, 1)} |`);
      }
    }
    L.push('');
    L.push('![memory against concurrent streams](benchmarks/streams-memory.svg)');
    L.push('');
  }
  if (Object.keys(results.s4).length) {
    L.push('### 4. `count_tokens` on the Claude Code first request (75 KB body), 4 connections, closed loop');
    L.push('');
    L.push('| System | calls/s | p50 ms | p99 ms | errors |');
    L.push('|---|---|---|---|---|');
    for (const n of gws) {
      const r = results.s4[n];
      if (r) L.push(`| ${results.systems[n]} | ${f1(r.perSecond, 0)} | ${f1(r.lat?.p50)} | ${f1(r.lat?.p99)} | ${r.errors} |`);
    }
    L.push('');
  }
  if (Object.keys(results.s5).length) {
    L.push('### 5. Start-up (process start → first good answer) and idle memory (RSS 3 s after ready)');
    L.push('');
    L.push('Ready = `/healthz` answers 200 (`/` for CCR). First answer = a non-streaming `POST /v1/messages` sent right after ready has been answered (from process start). RSS after a stream = after one streaming request (which loads the tokenizer), 0.5 s later.');
    L.push('');
    L.push('| System | ready, median ms | ready, all runs ms | first answer, median ms | idle RSS, median MB | RSS after a stream, median MB |');
    L.push('|---|---|---|---|---|---|');
    for (const [n, r] of Object.entries(results.s5)) {
      L.push(`| ${results.systems[n] ?? 'Switchyard (Native AOT)'} | ${f1(r.readyMedianMs, 0)} | ${r.readyMs.map((v) => v.toFixed(0)).join(', ')} | ${f1(r.firstAnswerMedianMs, 0)} | ${f1(r.idleRssMedianMb, 1)} | ${f1(r.rssAfterStreamMedianMb, 1)} |`);
    }
    if (results.aot) L.push('', `Native AOT: ${results.aot}`);
    L.push('');
  }
  const gen = L.join('\n');
  const doc = path.join(repo, 'docs/benchmarks.md');
  const startMark = '<!-- results:start -->';
  const endMark = '<!-- results:end -->';
  let text = fs.existsSync(doc) ? fs.readFileSync(doc, 'utf8') : `# Benchmarks\n\n${startMark}\n${endMark}\n`;
  if (!text.includes(startMark)) text += `\n${startMark}\n${endMark}\n`;
  text = text.slice(0, text.indexOf(startMark) + startMark.length) + '\n' + gen + '\n' + text.slice(text.indexOf(endMark));
  fs.writeFileSync(doc, text);

  // plots
  const colors = { direct: '#7f7f7f', switchyard: '#1f77b4', 'switchyard-fsync': '#2ca02c', ccr: '#d62728' };
  const rates = Object.keys(results.s1.rates);
  if (rates.length) {
    const series = [];
    for (const n of gws) {
      for (const k of ['p50', 'p99']) {
        series.push({ name: `${n} ${k}`, color: colors[n], values: rates.map((r) => {
          const a = results.s1.rates[r][n]?.lat?.[k]; const d = results.s1.rates[r].direct?.lat?.[k];
          return a !== undefined && d !== undefined ? Math.max(a - d, 0.001) : null;
        }) });
      }
    }
    fs.writeFileSync(path.join(docsDir, 'added-latency.svg'), barChart({ title: 'Added latency over the direct upstream (non-streaming)', xLabel: 'offered rate (requests/s)', yLabel: 'added ms (log)', groups: rates.map((r) => `${r}/s`), series, logY: true, width: 900 }));
    const steps = Object.entries(results.s1.max).map(([n, mx]) => ({ name: n, color: colors[n], points: mx.steps.map((s) => [s.rate, Math.max(s.p99Sched ?? 0, 0.01)]) }));
    fs.writeFileSync(path.join(docsDir, 'rate-steps.svg'), lineChart({ title: 'p99 latency (from scheduled send) against offered rate', xLabel: 'offered rate (requests/s, log)', yLabel: 'p99 ms (log)', series: steps, logY: true, logX: true }));
  }
  if (Object.keys(results.s3).length) {
    const series = Object.entries(results.s3).map(([n, per]) => ({ name: n, color: colors[n], points: Object.entries(per).map(([k, r]) => [Number(k), r.rssHoldMb, r.errors > 0]) }));
    series.push({ name: 'target 500 MB', color: '#999', dash: true, points: series[0].points.map((p) => [p[0], 500]) });
    fs.writeFileSync(path.join(docsDir, 'streams-memory.svg'), lineChart({ title: 'RSS with N concurrent slow streams (× = streams failed)', xLabel: 'concurrent streams', yLabel: 'RSS MB', series }));
  }
}

// ---------- main ----------
if (process.argv.includes('--report')) {
  // Rewrites docs/benchmarks.md and the plots from docs/benchmarks/results.json, without running anything.
  Object.assign(results, JSON.parse(fs.readFileSync(path.join(docsDir, 'results.json'), 'utf8')));
  writeReport();
  process.exit(0);
}
// A partial run (BENCH_SCENARIOS) keeps the other scenarios' figures from the previous results.json.
if (process.env.BENCH_SCENARIOS && fs.existsSync(path.join(docsDir, 'results.json'))) {
  const previous = JSON.parse(fs.readFileSync(path.join(docsDir, 'results.json'), 'utf8'));
  for (const k of ['s1', 's2', 's3', 's4', 's5']) if (!scenarios.has(Number(k[1])) && previous[k]) results[k] = previous[k];
  if (!scenarios.has(3)) results.s3UpstreamHttp = previous.s3UpstreamHttp ?? 'h1';
  results.previousRun = previous.startedAt;
  results.scenariosRun = [...scenarios];
  if (!process.env.BENCH_AOT_NOTE && previous.aot) process.env.BENCH_AOT_NOTE = previous.aot;
}
try {
  machine();
  results.aot = process.env.BENCH_AOT_NOTE ?? null;
  log(`work dir ${work}; load ${loadavg()}`);
  await startUpstream();
  if (scenarios.has(5)) await scenario5();
  for (const n of gateways) if (!systems[n].child || systems[n].child.exitCode !== null) await launch(n);
  log('warming up');
  for (const n of Object.keys(systems)) await warm(n);
  if (scenarios.has(1)) await scenario1();
  writeReport();
  if (scenarios.has(2)) await scenario2();
  if (scenarios.has(4)) await scenario4();
  writeReport();
  if (scenarios.has(3)) await scenario3();
  results.finishedLoad = loadavg();
  writeReport();
  log('done: docs/benchmarks.md, docs/benchmarks/');
} finally {
  for (const c of [...children]) await stop(c);
}
process.exit(0);
