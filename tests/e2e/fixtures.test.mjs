// The two real Claude Code 2.1.197 requests captured in tests/fixtures/claude-code, replayed as they are.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startStack } from './harness.mjs';
import { repoRoot } from './gateway.mjs';
import { validateAnthropicSse } from './sse-validator.mjs';

// The fixtures are part of the repository; SWITCHYARD_CC_FIXTURES points at other captures.
const FIXTURES = process.env.SWITCHYARD_CC_FIXTURES ?? path.resolve(repoRoot, 'tests', 'fixtures', 'claude-code');
let stack;

before(async () => { stack = await startStack(); });
after(async () => { await stack?.stop(); });

async function replay(name) {
  const fixture = JSON.parse(readFileSync(path.join(FIXTURES, name), 'utf8'));
  const headers = Object.fromEntries(Object.entries(fixture.headers)
    .filter(([k]) => !['content-length', 'connection', 'accept-encoding', 'host'].includes(k)));
  const response = await fetch(`${stack.gateway.url}${fixture.url}`, { method: fixture.method, headers, body: JSON.stringify(fixture.body) });
  return { fixture, response, raw: await response.text() };
}

for (const name of ['first-request.json', 'tool-result-turn.json']) {
  test(`Claude Code fixture ${name} streams a valid answer`, async () => {
    stack.fake.enqueue({ reasoning: 'Replying.', content: 'Hi!' });
    const { fixture, response, raw } = await replay(name);
    assert.equal(response.status, 200, raw);
    const upstream = stack.fake.completions.at(-1);
    assert.equal(upstream.status, 200, `fake answered ${upstream.status}: ${JSON.stringify(upstream.response)}`);
    assert.equal(upstream.body.thinking?.type, 'enabled', 'adaptive thinking → thinking enabled');
    if (name === 'tool-result-turn.json') {
      const thinking = fixture.body.messages.find((m) => m.role === 'assistant').content.find((b) => b.type === 'thinking');
      const assistant = upstream.body.messages.find((m) => m.role === 'assistant' && m.tool_calls);
      assert.equal(typeof assistant?.reasoning_content, 'string', 'the tool-call turn carries reasoning_content');
      assert.ok(thinking.thinking === '' || assistant.reasoning_content.length > 0, 'non-empty thinking is replayed');
      assert.ok(upstream.body.messages.some((m) => m.role === 'tool'), 'the tool result is forwarded');
    }
    assert.match(raw, /"text":"Hi!"/);
    assert.deepEqual(validateAnthropicSse(raw), [], raw);
  });
}
