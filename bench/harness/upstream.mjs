// A fast fake DeepSeek upstream (OpenAI Chat Completions format, see deepseek-openai-api.md §3–4).
//
//   node upstream.mjs --port 9100 [--h2c-port 9101] [--h2-max-streams 1000] [--chunks 200] [--interval-ms 5] [--workers N]
//
// --workers N runs N processes (node:cluster) that share the ports, each connection served by one of them, so the
// fake upstream is not bounded by one Node event loop (10,000 slow streams are 100,000 chunks/s). The primary
// only relays /_config to every worker.
//
// --h2c-port also serves the same API over HTTP/2 with prior knowledge (h2c; node:http2), advertising
// SETTINGS_MAX_CONCURRENT_STREAMS = --h2-max-streams, so a client opens a new connection per that many streams.
//
// POST …/chat/completions            non-stream: one fixed chat.completion body
//                                     stream:true: `chunks` content chunks, one every `interval-ms`, then the final
//                                     chunk (finish_reason + usage) and `data: [DONE]`
// POST /_config {"chunks":N,"intervalMs":M}   changes the stream shape for later requests (the harness uses it)
// GET  /_stats                                  requests served, streams open, this process's event-loop delay
//                                                (p50/p99/max ms since the last /_stats) and CPU time (s): the
//                                                answering worker's own, with --workers
//
// Every content chunk carries its send time as text: "@<CLOCK_MONOTONIC µs>|". The load generator runs on the same
// machine and reads the same clock (process.hrtime), so per-chunk latency = arrival − send, through any gateway that
// passes text through.
import cluster from 'node:cluster';
import http from 'node:http';
import http2 from 'node:http2';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => {
  if (a.startsWith('--')) acc.push([a.slice(2), all[i + 1]]);
  return acc;
}, []));
const port = Number(args.port ?? 9100);
const workers = Number(args.workers ?? 1);
if (workers > 1 && cluster.isPrimary) {
  const all = Array.from({ length: workers }, () => cluster.fork());
  // A worker that receives /_config tells the primary, which passes it to every worker.
  for (const w of all) w.on('message', (m) => { if (m?.config) for (const o of all) o.send(m); });
  let listening = 0;
  cluster.on('listening', () => { if (++listening === all.length * (args['h2c-port'] ? 2 : 1)) process.stdout.write(`upstream: ${workers} workers listening\n`); });
  process.on('SIGTERM', () => { for (const w of all) w.kill('SIGTERM'); process.exit(0); });
} else {
  serve();
}

function serve() {
  let chunks = Number(args.chunks ?? 200);
  let intervalMs = Number(args['interval-ms'] ?? 5);

  const nowUs = () => process.hrtime.bigint() / 1000n;
  const created = Math.floor(Date.now() / 1000);
  const ID = 'bench-0001';
  const MODEL = 'deepseek-v4-flash';
  const usage = { prompt_tokens: 12, completion_tokens: 8, total_tokens: 20, prompt_cache_hit_tokens: 0, prompt_cache_miss_tokens: 12 };

  const completionBody = Buffer.from(JSON.stringify({
    id: ID, object: 'chat.completion', created, model: MODEL, system_fingerprint: 'fp_bench',
    choices: [{ index: 0, message: { role: 'assistant', content: 'Hello! How can I help you today?' }, logprobs: null, finish_reason: 'stop' }],
    usage,
  }));
  const completionHeaders = { 'content-type': 'application/json', 'content-length': completionBody.length };
  const sseHeaders = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' };

  const prefix = `data: {"id":"${ID}","object":"chat.completion.chunk","created":${created},"model":"${MODEL}","system_fingerprint":"fp_bench","choices":[{"index":0,"delta":`;
  const firstChunk = `${prefix}{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}\n\n`;
  const lastChunk = `${prefix}{"content":""},"logprobs":null,"finish_reason":"stop"}],"usage":${JSON.stringify(usage)}}\n\ndata: [DONE]\n\n`;
  const contentChunk = () => `${prefix}{"content":"@${nowUs()}|"},"logprobs":null,"finish_reason":null}]}\n\n`;

  let served = 0;
  let open = 0;
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const applyConfig = (cfg) => {
    if (cfg.chunks) chunks = Number(cfg.chunks);
    if (cfg.intervalMs) intervalMs = Number(cfg.intervalMs);
  };
  process.on('message', (m) => { if (m?.config) applyConfig(m.config); });

  function stream(res, n, every) {
    open++;
    res.writeHead(200, sseHeaders);
    res.write(firstChunk + contentChunk());
    let sent = 1;
    let timer = null;
    const done = () => { if (timer) { clearInterval(timer); timer = null; open--; } };
    res.on('close', done);
    if (sent >= n) { res.end(lastChunk); done(); return; }
    timer = setInterval(() => {
      sent++;
      if (sent >= n) { res.end(contentChunk() + lastChunk); done(); } else { res.write(contentChunk()); }
    }, every);
  }

  function handle(req, res) {
    if (req.method === 'GET' && req.url === '/_stats') {
      // The histogram holds whole timer periods: the delay is what exceeds the 10 ms resolution.
    const ms = (ns) => +Math.max(0, ns / 1e6 - 10).toFixed(2);
      const delay = { p50: ms(loop.percentile(50)), p99: ms(loop.percentile(99)), max: ms(loop.max) };
      loop.reset();
      const cpu = process.cpuUsage();
      res.end(JSON.stringify({ pid: process.pid, served, open, chunks, intervalMs, loopDelayMs: delay, cpuSec: (cpu.user + cpu.system) / 1e6 }));
      return;
    }
    const body = [];
    req.on('data', (d) => body.push(d));
    req.on('end', () => {
      served++;
      if (req.url === '/_config') {
        const cfg = JSON.parse(Buffer.concat(body).toString() || '{}');
        applyConfig(cfg);
        if (cluster.isWorker) process.send({ config: cfg });
        // With workers, answer once the primary has had time to pass the change on.
        setTimeout(() => res.end(JSON.stringify({ chunks, intervalMs })), cluster.isWorker ? 100 : 0);
        return;
      }
      if (req.method !== 'POST' || !req.url.includes('chat/completions')) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end('{"error":{"message":"not found","type":"invalid_request_error"}}');
        return;
      }
      // The body is only inspected for "stream":true (the gateways send compact JSON; allow one space).
      const text = Buffer.concat(body).toString();
      if (/"stream"\s*:\s*true/.test(text)) stream(res, chunks, intervalMs);
      else { res.writeHead(200, completionHeaders); res.end(completionBody); }
    });
  }

  const server = http.createServer(handle);
  server.keepAliveTimeout = 120_000;
  server.headersTimeout = 130_000;
  server.requestTimeout = 0;
  server.maxRequestsPerSocket = 0;
  server.listen(port, '127.0.0.1', () => {
    process.stdout.write(`upstream listening on ${port}\n`);
  });

  if (args['h2c-port']) {
    const h2 = http2.createServer({
      settings: { maxConcurrentStreams: Number(args['h2-max-streams'] ?? 1000) },
      // The default (10 MB per session) refuses streams long before a thousand slow ones are open.
      maxSessionMemory: 1000,
    }, handle);
    h2.listen(Number(args['h2c-port']), '127.0.0.1', () => {
      process.stdout.write(`upstream (h2c) listening on ${args['h2c-port']}\n`);
    });
  }
}
