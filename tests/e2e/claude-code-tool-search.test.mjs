// The newest Claude Code (pinned) through Switchyard, using its tool search and a mid-session tool-set change:
//  1. `[[tool:ToolSearch:…]]` makes the fake model call ToolSearch; Claude Code loads WebFetch and sends a tool_result
//     holding a tool_reference block.
//  2. A continued session with Bash disallowed: Claude Code sends a system message with tool_addition blocks (Glob and
//     Grep became available), and the fake model calls Glob, which Claude Code runs.
// The gateway must answer every request with 2xx: a 4xx on these turns makes Claude Code retry, then switch tool
// search off for the session and declare every tool in full (tool-search-fallback-turn.json).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { claudeSession, resultOf } from './claude-code-runner.mjs';
import { startStack } from './harness.mjs';
import { startRecordingProxy } from './recording-proxy.mjs';

const MARKER = /\[\[tool:([A-Za-z]+):(\{.*?\})\]\]/;

let stack;
let proxy;

before(async () => {
  stack = await startStack();
  proxy = await startRecordingProxy(stack.gateway.url);
  // A model that follows the markers in the last user turn: it calls the named tool once (if declared), then answers.
  stack.fake.responder = (record) => {
    const turns = record.body.messages.filter((m) => m.role !== 'system');
    if (turns.at(-1)?.role === 'tool') return { content: `Tool result received: ${String(turns.at(-1).content).slice(0, 40)}` };
    const user = turns.filter((m) => m.role === 'user').at(-1);
    const marker = MARKER.exec(typeof user?.content === 'string' ? user.content : JSON.stringify(user?.content ?? ''));
    if (marker && record.body.tools?.some((t) => t.function.name === marker[1])) {
      return { reasoning: `Calling ${marker[1]}.`, toolCalls: [{ name: marker[1], arguments: marker[2] }] };
    }
    return { content: 'Nothing to do.' };
  };
});

after(async () => {
  await proxy?.close();
  await stack?.stop();
});

function saveFailure(error, runs) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'switchyard-e2e-tool-search-failure-'));
  runs.forEach((run, i) => {
    writeFileSync(path.join(dir, `run${i + 1}-stdout.txt`), run.stdout);
    writeFileSync(path.join(dir, `run${i + 1}-stderr.txt`), run.stderr);
  });
  writeFileSync(path.join(dir, 'fake-requests.json'), JSON.stringify(stack.fake.requests, null, 2));
  writeFileSync(path.join(dir, 'client-exchanges.json'), JSON.stringify(proxy.exchanges, null, 2));
  writeFileSync(path.join(dir, 'gateway-output.txt'), stack.gateway.output());
  error.message += `\n(stdout/stderr, fake requests, client exchanges and gateway output saved in ${dir})`;
  return error;
}

const declared = (record) => (record.body.tools ?? []).map((t) => t.function.name);

test('Claude Code uses tool search and a tool-set change through Switchyard with no rejected request', { timeout: 300_000 }, async () => {
  const session = claudeSession(`${proxy.url}/anthropic`);
  writeFileSync(path.join(session.work, 'notes.txt'), 'found me\n');
  const runs = [];
  try {
    runs.push(await session.run(['-p', '[[tool:ToolSearch:{"query":"select:WebFetch"}]]', '--output-format', 'json']));
    runs.push(await session.run(['-c', '-p', 'Now [[tool:Glob:{"pattern":"*.txt"}]]', '--output-format', 'json', '--disallowedTools', 'Bash']));
    for (const run of runs) {
      assert.equal(run.timedOut, false, 'Claude Code finished');
      const result = resultOf(run);
      assert.equal(result.is_error, false, JSON.stringify(result).slice(0, 1000));
      assert.equal(run.code, 0);
    }

    const rejected = proxy.exchanges.filter((x) => x.status >= 400);
    assert.deepEqual(rejected.map((x) => `${x.status} ${x.url}: ${x.responseText?.slice(0, 300)}`), [], 'no request was rejected by the gateway');
    const sent = proxy.exchanges.map((x) => x.request ?? {});

    // Tool search: the tool_reference turn went through, and Claude Code kept tool search on (no fallback).
    assert.ok(sent.some((b) => b.messages?.some((m) => Array.isArray(m.content) &&
      m.content.some((c) => c.type === 'tool_result' && Array.isArray(c.content) && c.content.some((p) => p.type === 'tool_reference')))),
    'Claude Code sent a tool_reference result');
    assert.ok(sent.every((b) => !b.tools?.some((t) => t.name === 'WebSearch' && !t.defer_loading)), 'tool search was never switched off');
    const loaded = stack.fake.requests.find((r) => r.body?.messages?.some((m) => m.role === 'tool' && String(m.content).includes('Tool loaded: WebFetch')));
    assert.ok(loaded, 'DeepSeek read the tool_reference as text');
    assert.ok(declared(loaded).includes('WebFetch'), 'the loaded tool was declared upstream');
    assert.ok(!declared(loaded).includes('DeferredToolPlaceholder'), 'the placeholder is never declared upstream');

    // The tool-set change: tool_addition blocks went through, and the model could call the added tool.
    assert.ok(sent.some((b) => b.messages?.some((m) => m.role === 'system' && Array.isArray(m.content) && m.content.some((c) => c.type === 'tool_addition'))),
      'Claude Code sent tool_addition blocks');
    const globCall = stack.fake.requests.find((r) => r.reply?.toolCalls?.some((c) => c.name === 'Glob'));
    assert.ok(globCall, 'the model was offered Glob after the tool-set change');
    const globResult = stack.fake.requests.find((r) => r.body?.messages?.some((m) => m.role === 'tool' && String(m.content).includes('notes.txt')));
    assert.ok(globResult, 'Claude Code ran Glob and its result went back upstream');
    assert.equal(globResult.status, 200);
  } catch (error) {
    throw saveFailure(error, runs);
  }
});
