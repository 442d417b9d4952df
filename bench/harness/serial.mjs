// node serial.mjs URL BODYFILE N : N requests one after another on one keep-alive connection; prints ok count.
import http from 'node:http';
import fs from 'node:fs';
const [url, bodyFile, n] = process.argv.slice(2);
const body = fs.readFileSync(bodyFile);
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
let ok = 0, bytes = 0;
for (let i = 0; i < Number(n); i++) {
  await new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': body.length } }, (res) => {
      res.on('data', (d) => { bytes += d.length; });
      res.on('end', () => { if (res.statusCode === 200) ok++; resolve(); });
    });
    req.on('error', reject);
    req.end(body);
  });
}
console.log(JSON.stringify({ ok, bytes }));
