// Claude Code (the real CLI from npm) against Switchyard over a fake DeepSeek: it must write a file with the
// Write tool after a thinking + tool-call turn, then finish with the final text.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { claudeSession, resultOf } from './claude-code-runner.mjs';
import { startStack } from './harness.mjs';
import { startRecordingProxy } from './recording-proxy.mjs';
import { validateAnthropicSse } from './sse-validator.mjs';

const EXPECTED_CONTENT = 'hello from switchyard\n';
const PROMPT = 'Create the file hello.txt containing exactly: hello from switchyard';
const TIMEOUT_MS = 120_000;
const WRITE_REASONING = 'The user wants hello.txt with a fixed line. I will use the Write tool.';

function summarize(record) {
  const body = record.body ?? {};
  return {
    method: record.method,
    path: record.path,
    status: record.status,
    model: body.model,
    stream: body.stream === true,
    thinking: body.thinking?.type,
    reasoning_effort: body.reasoning_effort,
    max_tokens: body.max_tokens,
    tools: body.tools?.length ?? 0,
    messages: body.messages?.map((m) => m.role + (m.tool_calls ? `(tool_calls:${m.tool_calls.length}${typeof m.reasoning_content === 'string' ? ',reasoning' : ''})` : '')).join(','),
    reply: record.reply?.toolCalls ? 'Write tool call' : record.reply?.content,
  };
}

/** What Claude Code sent to the gateway, as seen by the recording proxy. */
function summarizeClient(exchange) {
  const body = exchange.request ?? {};
  return {
    method: exchange.method,
    url: exchange.url,
    status: exchange.status,
    model: body.model,
    stream: body.stream === true,
    thinking: body.thinking ? JSON.stringify(body.thinking) : undefined,
    effort: body.output_config?.effort,
    max_tokens: body.max_tokens,
    tools: body.tools?.map((t) => t.name).join(',') || undefined,
    messages: body.messages?.length,
    beta: exchange.headers['anthropic-beta'],
    contentType: exchange.responseHeaders['content-type'],
  };
}

let stack;
let proxy;
let ran = false;

before(async () => {
  stack = await startStack();
  proxy = await startRecordingProxy(stack.gateway.url);
});

after(async () => {
  await proxy?.close();
  await stack?.stop();
});

test('Claude Code writes a file through Switchyard', { timeout: TIMEOUT_MS + 30_000 }, async () => {
  const session = claudeSession(`${proxy.url}/anthropic`);
  const work = session.work;
  const target = path.join(work, 'hello.txt');

  // Decide by inspecting each upstream request, never by order.
  let writeIssued = false;
  stack.fake.responder = (record) => {
    const body = record.body;
    const hasWrite = body.tools?.some((t) => t.function?.name === 'Write') ?? false;
    const hasToolResult = body.messages.some((m) => m.role === 'tool');
    if (hasWrite && hasToolResult) return { reasoning: 'The file has been written; I can finish.', content: 'Done.' };
    if (hasWrite && !writeIssued) {
      writeIssued = true;
      return {
        reasoning: WRITE_REASONING,
        toolCalls: [{ name: 'Write', arguments: { file_path: target, content: EXPECTED_CONTENT } }],
        chunkSize: 9,
      };
    }
    return { content: 'OK.' };
  };

  const started = Date.now();
  const result = await session.run(['-p', PROMPT, '--output-format', 'json', '--allowedTools', 'Write'], TIMEOUT_MS);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  ran = true;
  console.error(`[e2e] Claude Code finished in ${seconds}s (exit ${result.code})`);
  console.error(`[e2e] requests Claude Code sent to Switchyard:\n${proxy.exchanges.map((x) => `  ${JSON.stringify(summarizeClient(x))}`).join('\n')}`);
  console.error(`[e2e] requests Switchyard sent to the fake DeepSeek:\n${stack.fake.requests.map((r) => `  ${JSON.stringify(summarize(r))}`).join('\n')}`);

  try {
    assert.equal(result.timedOut, false, `Claude Code did not finish within ${TIMEOUT_MS / 1000}s`);
    const output = resultOf(result);
    assert.equal(output.is_error, false, `result: ${JSON.stringify(output).slice(0, 2000)}`);
    assert.equal(output.subtype, 'success');
    assert.equal(result.code, 0, `exit code ${result.code}`);
    assert.ok(existsSync(target), `${target} exists`);
    assert.equal(readFileSync(target, 'utf8'), EXPECTED_CONTENT);
    assert.match(String(output.result), /Done\./);
    assert.ok(writeIssued, 'a request with the Write tool was answered with the Write call');
    const followUp = stack.fake.completions.find((r) => r.body?.messages?.some((m) => m.role === 'tool'));
    assert.ok(followUp, 'the tool result went back upstream');
    assert.equal(followUp.status, 200, `upstream answered the tool-result turn with ${followUp.status}: ${JSON.stringify(followUp.response)}`);
    const writeTurn = followUp.body.messages.find((m) => m.role === 'assistant' && m.tool_calls?.some((c) => c.function.name === 'Write'));
    if (followUp.body.thinking?.type === 'enabled') {
      assert.equal(writeTurn?.reasoning_content, WRITE_REASONING, 'the Write turn\'s reasoning_content is replayed verbatim');
    }
  } catch (error) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'switchyard-e2e-claude-code-failure-'));
    writeFileSync(path.join(dir, 'stdout.txt'), result.stdout);
    writeFileSync(path.join(dir, 'stderr.txt'), result.stderr);
    writeFileSync(path.join(dir, 'fake-requests.json'), JSON.stringify(stack.fake.requests, null, 2));
    writeFileSync(path.join(dir, 'client-exchanges.json'), JSON.stringify(proxy.exchanges, null, 2));
    writeFileSync(path.join(dir, 'gateway-output.txt'), stack.gateway.output());
    console.error(`[e2e] Claude Code test failed; stdout, stderr, fake requests and gateway output in ${dir}`);
    error.message += `\n(Claude Code stdout/stderr, fake requests and gateway output saved in ${dir})`;
    throw error;
  }
});

test('the SSE streams Claude Code received are valid', async (t) => {
  if (!ran) return t.skip('the Claude Code run did not happen');
  const streams = proxy.exchanges.filter((x) => String(x.responseHeaders['content-type'] ?? '').startsWith('text/event-stream'));
  assert.ok(streams.length > 0, 'Claude Code received at least one stream');
  for (const exchange of streams) {
    const violations = validateAnthropicSse(exchange.responseText);
    assert.deepEqual(violations, [], `${exchange.method} ${exchange.url}:\n${violations.join('\n')}\n--- raw ---\n${exchange.responseText}`);
  }
});
