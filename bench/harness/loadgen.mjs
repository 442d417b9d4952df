// Load generator for the Switchyard benchmark: raw HTTP/1.1 keep-alive sockets (no http module overhead),
// exact percentiles (every sample is kept and sorted), output as one JSON object on stdout.
//
// Modes (all take --url http://127.0.0.1:PORT/path --body FILE [--header 'k: v' ...]):
//   rate    --rate R --duration S [--warmup S]      open loop at R requests/s; latency from the actual send
//                                                   (`lat`) and from the scheduled send (`latSched`, free of
//                                                   coordinated omission: it grows without bound when overloaded)
//   streams --concurrency C --duration S --chunks N closed loop of SSE streams: time to first token and per-chunk
//                                                   latency (arrival − the upstream's send stamp in the text)
//   hold    --streams N --ramp R --chunks K [--pid P] opens N slow streams at R/s, holds them, samples RSS/CPU of
//           [--watch P1,P2]                         pid P while all are open; errors = failed or short streams;
//                                                   also the CPU of the --watch pids (the upstream's processes) and
//                                                   of this generator, and this generator's event-loop delay
//   closed  --concurrency C --duration S            closed loop, calls/s (count_tokens)
import net from 'node:net';
import fs from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

// ---------- arguments ----------
const argv = process.argv.slice(2);
const mode = argv[0];
const opts = { header: [] };
for (let i = 1; i < argv.length; i += 2) {
  const k = argv[i].replace(/^--/, '');
  if (k === 'header') opts.header.push(argv[i + 1]);
  else opts[k] = argv[i + 1];
}
const url = new URL(opts.url);
const host = url.hostname;
const port = Number(url.port);
const bodyBuf = opts.body ? fs.readFileSync(opts.body) : Buffer.alloc(0);
const requestBuf = Buffer.concat([
  Buffer.from(`POST ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/json\r\n` +
    `Content-Length: ${bodyBuf.length}\r\n${opts.header.map((h) => h + '\r\n').join('')}\r\n`),
  bodyBuf,
]);
const expect = opts.expect ?? null; // substring a non-stream body must contain
const timeoutMs = Number(opts.timeout ?? 30000);

const nowUs = () => Number(process.hrtime.bigint() / 1000n);

// ---------- minimal HTTP/1.1 response parser ----------
const CRLFCRLF = Buffer.from('\r\n\r\n');
class Conn {
  constructor(onClose) {
    this.socket = net.connect({ host, port });
    this.socket.setNoDelay(true);
    this.buf = null;
    this.req = null;
    this.dead = false;
    this.socket.on('data', (d) => this.onData(d));
    const fail = (err) => {
      if (this.dead) return;
      this.dead = true;
      const r = this.req;
      this.req = null;
      if (r) {
        // A response without length that ends with the connection is complete.
        if (r.state === 'close') r.done(null);
        else r.done(err ?? new Error('connection closed'));
      }
      onClose?.(this);
    };
    this.socket.on('error', fail);
    this.socket.on('close', () => fail(null));
  }

  send(r) {
    // The send time is taken when the request leaves (it may have waited in the backlog for a connection).
    r.sent = nowUs();
    r.conn = this;
    this.req = r;
    r.state = 'head';
    r.status = 0;
    this.buf = null;
    this.socket.write(requestBuf);
  }

  onData(d) {
    const r = this.req;
    if (!r) return;
    let buf = this.buf ? Buffer.concat([this.buf, d]) : d;
    this.buf = null;
    let pos = 0;
    while (pos < buf.length && this.req === r) {
      if (r.state === 'head') {
        const end = buf.indexOf(CRLFCRLF, pos);
        if (end < 0) { this.buf = buf.subarray(pos); return; }
        const head = buf.toString('latin1', pos, end);
        pos = end + 4;
        r.status = Number(head.slice(9, 12));
        const lower = head.toLowerCase();
        const cl = /\r\ncontent-length:\s*(\d+)/.exec(lower);
        if (/\r\ntransfer-encoding:\s*chunked/.test(lower)) { r.state = 'size'; }
        else if (cl) { r.left = Number(cl[1]); r.state = 'body'; if (r.left === 0) { this.finish(r); return; } }
        else { r.state = 'close'; }
        r.onHead?.(r.status);
      } else if (r.state === 'body') {
        const n = Math.min(r.left, buf.length - pos);
        r.onBody?.(buf.subarray(pos, pos + n));
        pos += n;
        r.left -= n;
        if (r.left === 0) { this.finish(r); return; }
      } else if (r.state === 'size') {
        const eol = buf.indexOf('\r\n', pos, 'latin1');
        if (eol < 0) { this.buf = buf.subarray(pos); return; }
        const size = parseInt(buf.toString('latin1', pos, eol), 16);
        pos = eol + 2;
        if (size === 0) { r.state = 'trailer'; } else { r.left = size; r.state = 'chunk'; }
      } else if (r.state === 'chunk') {
        const n = Math.min(r.left, buf.length - pos);
        r.onBody?.(buf.subarray(pos, pos + n));
        pos += n;
        r.left -= n;
        if (r.left === 0) r.state = 'chunkend';
      } else if (r.state === 'chunkend') {
        if (buf.length - pos < 2) { this.buf = buf.subarray(pos); return; }
        pos += 2;
        r.state = 'size';
      } else if (r.state === 'trailer') {
        const eol = buf.indexOf('\r\n', pos, 'latin1');
        if (eol < 0) { this.buf = buf.subarray(pos); return; }
        const empty = eol === pos;
        pos = eol + 2;
        if (empty) { this.finish(r); return; }
      } else if (r.state === 'close') {
        r.onBody?.(buf.subarray(pos));
        pos = buf.length;
      }
    }
  }

  finish(r) {
    this.req = null;
    this.buf = null;
    r.done(null);
  }

  destroy() { this.dead = true; this.counted = true; this.socket.destroy(); }
}

// ---------- statistics ----------
function pct(samples, ps = [50, 90, 99, 99.9]) {
  if (samples.length === 0) return null;
  const s = Float64Array.from(samples).sort();
  const out = { n: s.length, min: s[0] / 1000, mean: s.reduce((a, b) => a + b, 0) / s.length / 1000, max: s[s.length - 1] / 1000 };
  for (const p of ps) out['p' + String(p).replace('.', '_')] = s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] / 1000;
  return out; // milliseconds
}

function procSample(pid) {
  if (!pid) return null;
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)[1]);
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(f[11]) + Number(f[12]); // utime + stime, in USER_HZ (100/s)
    const threads = Number(/Threads:\s+(\d+)/.exec(status)[1]);
    return { t: nowUs(), rssMb: rssKb / 1024, cpuSec: ticks / 100, threads };
  } catch { return null; }
}

const errorsByKind = {};
const addError = (kind) => { errorsByKind[kind] = (errorsByKind[kind] ?? 0) + 1; };

// ---------- a request on a pooled connection ----------
const idle = [];
let openConns = 0;
const maxConns = Number(opts['max-conns'] ?? 4000);
const backlog = [];

function getConn() {
  while (idle.length) {
    const c = idle.pop();
    if (!c.dead) return c;
  }
  if (openConns >= maxConns) return null;
  openConns++;
  return new Conn((c) => { if (!c.counted) openConns--; });
}

function release(c) {
  if (c.dead) return;
  const next = backlog.shift();
  if (next) { c.send(next); return; }
  idle.push(c);
}

function issue(r) {
  const c = getConn();
  if (!c) { backlog.push(r); return; }
  c.send(r);
}

function oneRequest({ sched, stream, onResult }) {
  const r = { sched, sent: nowUs(), body: stream ? null : [], markers: 0, firstUs: 0, bad: false, finished: false };
  const timer = setTimeout(() => {
    // Give up: report a timeout whether the request is waiting for a connection, for headers or mid-stream.
    if (r.finished) return;
    const i = backlog.indexOf(r);
    if (i >= 0) backlog.splice(i, 1);
    const c = r.conn;
    if (c && c.req === r) { c.req = null; c.destroy(); openConns--; }
    finish(new Error('timeout'), 'timeout');
  }, timeoutMs);
  r.onBody = (b) => {
    if (!stream) { r.body.push(b); return; }
    scanMarkers(r, b);
  };
  const finish = (err, kind) => {
    if (r.finished) return;
    r.finished = true;
    clearTimeout(timer);
    const end = nowUs();
    let error = null;
    if (err) error = kind ?? err.code ?? 'socket';
    else if (r.status !== 200) error = 'http_' + r.status;
    else if (!stream && expect && !Buffer.concat(r.body).toString().includes(expect)) error = 'bad_body';
    else if (stream && r.bad) error = 'error_event';
    onResult(r, end, error);
    if (!err && r.conn) release(r.conn);
  };
  r.done = (err) => finish(err);
  issue(r);
  return r;
}

// Markers "@<µs>|" stamped by the fake upstream; the '@' never occurs otherwise in the answers.
const AT = 0x40;
const ERR1 = Buffer.from('event: error');
function scanMarkers(r, b) {
  if (b.indexOf(ERR1) >= 0) r.bad = true;
  let i = b.indexOf(AT);
  while (i >= 0) {
    r.markers++;
    if (r.onMarker) {
      const end = b.indexOf(0x7c, i); // '|'
      const arrival = nowUs();
      if (end > i) r.onMarker(Number(b.toString('latin1', i + 1, end)), arrival);
      else r.onMarker(null, arrival);
    }
    i = b.indexOf(AT, i + 1);
  }
}

// ---------- modes ----------
async function modeRate() {
  const rate = Number(opts.rate);
  const duration = Number(opts.duration ?? 10);
  const warmup = Number(opts.warmup ?? 2);
  const lat = [];
  const latSched = [];
  let ok = 0;
  let errors = 0;
  let inflight = 0;
  let recordFrom = 0;
  const intervalUs = 1e6 / rate;
  const run = (seconds, record) => new Promise((resolve) => {
    const total = Math.round(rate * seconds);
    const start = nowUs();
    if (record) recordFrom = start;
    let sent = 0;
    const tick = () => {
      const now = nowUs();
      const due = Math.min(total, Math.floor((now - start) / intervalUs) + 1);
      while (sent < due) {
        const sched = start + sent * intervalUs;
        sent++;
        inflight++;
        oneRequest({
          sched, stream: false, onResult: (req, end, error) => {
            inflight--;
            if (record && req.sched >= recordFrom) {
              if (error) { errors++; addError(error); } else { ok++; lat.push(end - req.sent); latSched.push(end - req.sched); }
            }
          },
        });
      }
      if (sent < total) setTimeout(tick, 0); else resolve(start);
    };
    tick();
  });
  if (warmup > 0) await run(warmup, false);
  const start = await run(duration, true);
  const sendEnd = nowUs();
  const deadline = Date.now() + timeoutMs + 1000;
  while (inflight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  const elapsed = (nowUs() - start) / 1e6;
  return {
    mode: 'rate', rate, duration, ok, errors, errorsByKind, unfinished: inflight,
    achieved: ok / Math.max(elapsed, duration), sendSeconds: (sendEnd - start) / 1e6, connections: openConns,
    lat: pct(lat), latSched: pct(latSched),
  };
}

async function modeStreams() {
  const concurrency = Number(opts.concurrency ?? 10);
  const duration = Number(opts.duration ?? 10);
  const chunks = Number(opts.chunks ?? 200);
  const ttft = [];
  const chunkLat = [];
  const gaps = [];
  let ok = 0;
  let errors = 0;
  const stopAt = nowUs() + duration * 1e6;
  const worker = async () => {
    while (nowUs() < stopAt) {
      await new Promise((resolve) => {
        let prev = 0;
        const r = oneRequest({
          sched: nowUs(), stream: true, onResult: (req, end, error) => {
            if (!error && req.markers < chunks) error = 'short_stream';
            if (error) { errors++; addError(error); } else ok++;
            resolve();
          },
        });
        r.onMarker = (stamp, arrival) => {
          if (r.markers === 1) ttft.push(arrival - r.sent);
          if (stamp !== null) chunkLat.push(arrival - stamp);
          if (prev) gaps.push(arrival - prev);
          prev = arrival;
        };
      });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { mode: 'streams', concurrency, chunks, ok, errors, errorsByKind, ttft: pct(ttft), chunkLatency: pct(chunkLat), chunkGap: pct(gaps) };
}

async function modeHold() {
  const n = Number(opts.streams);
  const ramp = Number(opts.ramp ?? 2000);
  const chunks = Number(opts.chunks ?? 150);
  const pid = Number(opts.pid ?? 0);
  const watched = (opts.watch ?? '').split(',').filter(Boolean).map(Number);
  const before = procSample(pid);
  const loop = monitorEventLoopDelay({ resolution: 10 });
  const watchSamples = [];
  let opened = 0;
  let established = 0; // streams that got their first chunk
  let completed = 0;
  let errors = 0;
  let finished = 0;
  const samples = [];
  const sampler = setInterval(() => {
    const s = procSample(pid);
    if (s) samples.push({ ...s, established, finished });
    const own = process.cpuUsage();
    watchSamples.push({ t: nowUs(), self: (own.user + own.system) / 1e6, cpu: watched.map((p) => procSample(p)?.cpuSec ?? null) });
  }, 250);
  const lag = [];
  let chunksInWindow = 0; // content chunks read between every stream's first chunk and the first stream's end
  let allOpenAt = 0;
  let firstDoneAt = 0;
  const start = nowUs();
  await new Promise((resolve) => {
    const onResult = (req, end, error) => {
      finished++;
      if (!firstDoneAt) { firstDoneAt = end; loop.disable(); }
      if (!error && req.markers < chunks) error = 'short_stream';
      if (error) { errors++; addError(error); } else completed++;
      if (finished === n) resolve();
    };
    const tick = () => {
      const due = Math.min(n, Math.floor(((nowUs() - start) / 1e6) * ramp) + 1);
      while (opened < due) {
        opened++;
        const r = oneRequest({ sched: nowUs(), stream: true, onResult });
        r.onMarker = (stamp, arrival) => {
          if (r.markers === 1) { established++; if (established === n) { allOpenAt = arrival; loop.enable(); } }
          if (stamp !== null && (r.markers & 7) === 0) lag.push(arrival - stamp);
          if (allOpenAt && !firstDoneAt) chunksInWindow++;
        };
      }
      if (opened < n) setTimeout(tick, 1);
    };
    tick();
  });
  clearInterval(sampler);
  // The hold window: from when every stream had its first chunk (or the last open) to the first stream's end.
  const from = allOpenAt || start;
  const inWindow = (s) => s.t >= from && (!firstDoneAt || s.t <= firstDoneAt);
  const window = samples.filter(inWindow);
  const ws = watchSamples.filter(inWindow);
  const cores = (a, b, pick) => (a && b && pick(a) !== null && pick(b) !== null ? (pick(b) - pick(a)) / ((b.t - a.t) / 1e6) : null);
  const [w0, w1] = ws.length >= 2 ? [ws[0], ws[ws.length - 1]] : [watchSamples[0], watchSamples[watchSamples.length - 1]];
  const use = window.length >= 2 ? window : samples;
  const peak = samples.reduce((m, s) => Math.max(m, s.rssMb), 0);
  const holdRss = use.length ? use.reduce((m, s) => Math.max(m, s.rssMb), 0) : null;
  const cpu = use.length >= 2 ? (use[use.length - 1].cpuSec - use[0].cpuSec) / ((use[use.length - 1].t - use[0].t) / 1e6) : null;
  return {
    mode: 'hold', streams: n, chunks, ok: completed, errors, errorsByKind,
    allEstablished: established >= n, establishSeconds: allOpenAt ? (allOpenAt - start) / 1e6 : null,
    rssBeforeMb: before?.rssMb ?? null, rssHoldMb: holdRss, rssPeakMb: peak, cpuCores: cpu,
    threads: use.length ? use[use.length - 1].threads : null, holdSamples: use.length,
    chunkLatency: pct(lag),
    // Where the CPU went during the hold window: the --watch processes (summed), this generator, and how late
    // this generator's own event loop ran (a late loop here would show up as chunk latency).
    chunksPerSecond: allOpenAt && firstDoneAt > allOpenAt ? chunksInWindow / ((firstDoneAt - allOpenAt) / 1e6) : null,
    watchedCpuCores: watched.length ? watched.reduce((sum, _, i) => sum + (cores(w0, w1, (x) => x.cpu[i]) ?? 0), 0) : null,
    loadgenCpuCores: cores(w0, w1, (x) => x.self),
    loadgenLoopDelayMs: loop.count ? { p50: Math.max(0, loop.percentile(50) / 1e6 - 10), p99: Math.max(0, loop.percentile(99) / 1e6 - 10), max: Math.max(0, loop.max / 1e6 - 10) } : null,
  };
}

async function modeClosed() {
  const concurrency = Number(opts.concurrency ?? 8);
  const duration = Number(opts.duration ?? 10);
  const warmup = Number(opts.warmup ?? 2);
  const lat = [];
  let ok = 0;
  let errors = 0;
  const phase = (seconds, record) => {
    const stopAt = nowUs() + seconds * 1e6;
    const worker = async () => {
      while (nowUs() < stopAt) {
        await new Promise((resolve) => oneRequest({
          sched: nowUs(), stream: false, onResult: (req, end, error) => {
            if (record) { if (error) { errors++; addError(error); } else { ok++; lat.push(end - req.sent); } }
            resolve();
          },
        }));
      }
    };
    return Promise.all(Array.from({ length: concurrency }, worker));
  };
  if (warmup > 0) await phase(warmup, false);
  const start = nowUs();
  await phase(duration, true);
  const elapsed = (nowUs() - start) / 1e6;
  return { mode: 'closed', concurrency, ok, errors, errorsByKind, perSecond: ok / elapsed, lat: pct(lat) };
}

const modes = { rate: modeRate, streams: modeStreams, hold: modeHold, closed: modeClosed };
if (!modes[mode]) {
  process.stderr.write(`usage: node loadgen.mjs rate|streams|hold|closed --url URL --body FILE ...\n`);
  process.exit(2);
}
const result = await modes[mode]();
process.stdout.write(JSON.stringify(result) + '\n');
for (const c of idle) c.destroy();
process.exit(0);
