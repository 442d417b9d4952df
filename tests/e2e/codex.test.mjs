// The Codex CLI (the real binary from npm, pinned in package.json) against Switchyard's Responses API over the fake
// DeepSeek: `codex exec` with a plain answer, and a tool round trip in which the model calls Codex's shell tool
// (exec_command), Codex runs it (a file appears with the right content), and the next request carries the
// function_call_output and the restored reasoning (the fake enforces DeepSeek V4's reasoning_content rule).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { startStack } from './harness.mjs';

const require = createRequire(import.meta.url);
const MODEL = 'deepseek-v4-flash';
const TIMEOUT_MS = 120_000;
const FILE_CONTENT = 'hello from codex\n';
const TOOL_REASONING = 'The user wants hello.txt; I will write it with the shell.';

let stack;
const homes = [];

before(async () => {
  stack = await startStack();
});

after(async () => {
  await stack?.stop();
  for (const dir of homes) rmSync(dir, { recursive: true, force: true });
});

/** The platform binary that the @openai/codex package ships as an optional dependency. */
function codexBinary() {
  const wrapper = path.join(path.dirname(require.resolve('@openai/codex/package.json')), 'bin', 'codex.js');
  assert.ok(existsSync(wrapper), 'the @openai/codex package is installed');
  return wrapper;
}

/** A CODEX_HOME with the provider block the README documents, pointing at this gateway. */
function codexHome() {
  const home = mkdtempSync(path.join(os.tmpdir(), 'switchyard-codex-home-'));
  homes.push(home);
  writeFileSync(path.join(home, 'config.toml'), [
    `model = "${MODEL}"`,
    'model_provider = "switchyard"',
    'web_search = "disabled"',
    '',
    '[model_providers.switchyard]',
    'name = "Switchyard"',
    `base_url = "${stack.gateway.url}/v1"`,
    'env_key = "SWITCHYARD_API_KEY"',
    'wire_api = "responses"',
    'stream_idle_timeout_ms = 600000',
    '',
  ].join('\n'));
  return home;
}

/** Runs `codex exec` in a fresh working directory; resolves with the exit code, output and directory. */
function codexExec(prompt) {
  const home = codexHome();
  const cwd = mkdtempSync(path.join(os.tmpdir(), 'switchyard-codex-work-'));
  homes.push(cwd);
  const args = [codexBinary(), 'exec', '--skip-git-repo-check', '--dangerously-bypass-approvals-and-sandbox', '-C', cwd, prompt];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, CODEX_HOME: home, HOME: home, SWITCHYARD_API_KEY: 'test-codex-key', NO_COLOR: '1', RUST_LOG: 'error' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`codex exec timed out\nstdout:\n${stdout}\nstderr:\n${stderr}`)); }, TIMEOUT_MS);
    child.once('error', (error) => { clearTimeout(timer); reject(error); });
    child.once('exit', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr, cwd }); });
  });
}

async function withDump(label, fn) {
  stack.fake.reset();
  let result;
  try {
    await fn((r) => { result = r; });
  } catch (error) {
    const file = stack.dump(label);
    if (result) writeFileSync(`${file}.codex.txt`, `exit ${result.code}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`);
    error.message += `\n(details: ${file}${result ? ` and ${file}.codex.txt` : ''})`;
    throw error;
  }
}

test('codex exec: a plain answer', () => withDump('codex plain', async (keep) => {
  stack.fake.enqueue({ content: 'Hello from DeepSeek through Switchyard.', reasoning: 'A greeting is enough.' });
  const result = await codexExec('Say hello.');
  keep(result);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /Hello from DeepSeek through Switchyard\./);
  const sent = stack.fake.completions;
  assert.equal(sent.length, 1);
  assert.equal(sent[0].status, 200);
  assert.equal(sent[0].body.model, MODEL);
  assert.equal(sent[0].body.stream, true);
  assert.ok(sent[0].body.tools.some((t) => t.function.name === 'exec_command'), 'Codex\'s shell tool is offered to the model');
  assert.ok(sent[0].body.messages.some((m) => m.role === 'user' && m.content.includes('Say hello.')));
}));

test('codex exec: the model calls the shell tool, Codex runs it, and the reasoning comes back', () => withDump('codex tool', async (keep) => {
  stack.fake.responder = (request) => {
    const last = request.body.messages.at(-1);
    if (last.role === 'tool') return { content: 'Created hello.txt.', reasoning: 'The file is written.' };
    return {
      reasoning: TOOL_REASONING,
      toolCalls: [{ name: 'exec_command', arguments: { cmd: "printf 'hello from codex\\n' > hello.txt" } }],
    };
  };
  const result = await codexExec('Create hello.txt containing exactly: hello from codex');
  keep(result);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(readFileSync(path.join(result.cwd, 'hello.txt'), 'utf8'), FILE_CONTENT);
  assert.match(result.stdout, /Created hello\.txt\./);

  const [first, second] = stack.fake.completions;
  assert.equal(stack.fake.completions.length, 2);
  const call = first.response.toolCalls[0];
  assert.equal(second.status, 200, 'DeepSeek (the fake) accepted the replayed tool-call turn');
  const assistant = second.body.messages.find((m) => m.role === 'assistant' && m.tool_calls);
  assert.equal(assistant.tool_calls[0].id, call.id);
  assert.equal(assistant.tool_calls[0].function.name, 'exec_command');
  assert.equal(assistant.reasoning_content, TOOL_REASONING, 'the reasoning is restored on the tool-call turn');
  const output = second.body.messages.at(-1);
  assert.equal(output.role, 'tool');
  assert.equal(output.tool_call_id, call.id);
  assert.match(output.content, /exit(ed)? (with )?code 0/i);
}));
