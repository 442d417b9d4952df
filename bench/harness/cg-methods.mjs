// node cg-methods.mjs FILE.callgrind PERF_MAP [TOP] [inclusive]
// Names the JIT-compiled code in a callgrind profile: callgrind sees managed methods only as addresses ("???:0x…");
// the runtime's perf map (DOTNET_PerfMapEnabled=1 writes /tmp/perf-<pid>.map: start, size, name) says which method
// each address falls in. Prints the top methods by self instructions (Ir), with native code as callgrind names it.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

const [file, mapFile, top = '30', mode = 'self'] = process.argv.slice(2);
const ranges = fs.readFileSync(mapFile, 'utf8').split('\n').filter(Boolean).map((line) => {
  const [start, size, ...name] = line.split(' ').map((part, i) => (i < 2 ? part.replace(/^0x/, '') : part));
  return { start: BigInt('0x' + start), end: BigInt('0x' + start) + BigInt('0x' + size), name: name.join(' ') };
}).sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));

function method(address) {
  let lo = 0, hi = ranges.length - 1, found = null;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (ranges[mid].start <= address) { found = ranges[mid]; lo = mid + 1; } else { hi = mid - 1; }
  }
  return found && address < found.end ? found.name : null;
}

const text = execFileSync('callgrind_annotate', ['--threshold=100', `--inclusive=${mode === 'inclusive' ? 'yes' : 'no'}`, file], { encoding: 'utf8', maxBuffer: 1 << 28 });
const self = new Map();
let total = 0;
for (const line of text.split('\n')) {
  const m = /^\s*([\d,]+) \([^)]*\)\s+(.*)$/.exec(line);
  if (!m || m[2].includes('PROGRAM TOTALS')) continue;
  const ir = Number(m[1].replaceAll(',', ''));
  const where = m[2];
  const jit = /^(?:\?\?\?:)?0x([0-9a-f]+)(?:'\d+)? \[\?\?\?\]/.exec(where);
  const name = jit ? (method(BigInt('0x' + jit[1])) ?? 'JIT code outside the map') : where.replace(/^.*?:/, '').replace(/\s+\[.*\/(.*)\]$/, ' [$1]');
  self.set(name, (self.get(name) ?? 0) + ir);
  if (mode !== 'inclusive') total += ir;
  else total = Math.max(total, ir);
}
const rows = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, Number(top));
for (const [name, ir] of rows) console.log(`${(100 * ir / total).toFixed(1).padStart(5)} %  ${String(ir).padStart(12)}  ${name}`);
