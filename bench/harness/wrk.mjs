// Runs Debian's `wrk` (closed loop: every connection sends its next request when the answer is read) with a POST
// body and headers, and returns its summary as an object. wrk is written in C and uses one event loop per thread,
// so it is not the ceiling where the Node load generator would be.
//
//   runWrk({ url, bodyFile, headers: ['k: v'], connections: 16, durationS: 8, threads: 1 })
//     → { connections, durationS, requests, perSecond, errors, errorsByKind, lat: { p50, p90, p99, p99_9, max } }
// Latencies in ms, from wrk's own histogram (µs resolution). `errors` counts connect, read, write and timeout errors
// and answers outside 2xx/3xx.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const script = path.join(here, 'wrk-post.lua');

export function runWrk({ url, bodyFile, headers = [], connections, durationS, threads = 1, timeoutS = 10 }) {
  const args = ['-t', String(Math.min(threads, connections)), '-c', String(connections), '-d', `${durationS}s`,
    '--timeout', `${timeoutS}s`, '-s', script, url, '--', bodyFile, ...headers];
  return new Promise((resolve, reject) => {
    const child = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    child.on('error', reject);
    child.on('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('WRK-JSON '));
      if (code !== 0 || !line) { reject(new Error(`wrk exit ${code}: ${err || out}`)); return; }
      const s = JSON.parse(line.slice('WRK-JSON '.length));
      const ms = (us) => us / 1000;
      const errorsByKind = { connect: s.connect, read: s.read, write: s.write, timeout: s.timeout, status: s.status };
      resolve({
        connections, durationS, threads: Math.min(threads, connections), requests: s.requests,
        perSecond: s.requests / (s.durationUs / 1e6),
        errors: Object.values(errorsByKind).reduce((a, b) => a + b, 0), errorsByKind,
        lat: { p50: ms(s.p50), p90: ms(s.p90), p99: ms(s.p99), p99_9: ms(s.p999), max: ms(s.max), mean: ms(s.mean) },
      });
    });
  });
}
