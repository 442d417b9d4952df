// Structured output through Switchyard on DeepSeek, which has no JSON-schema mode, with the real client libraries:
// the AI SDK's generateObject (a DeepSeek model name over the OpenAI provider, a Claude model name over the Anthropic
// provider) and LangChain's ChatOpenAI.withStructuredOutput (its default json_schema method, and functionCalling).
// The fake answers a forced function call with the function's arguments, JSON mode with the JSON: what a model
// following the request would do. The objects must come back schema-valid.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateObject } from 'ai';
import { createOpenAI } from '@ai-sdk/openai';
import { createAnthropic } from '@ai-sdk/anthropic';
import { ChatOpenAI } from '@langchain/openai';
import { z } from 'zod';
import { startStack } from './harness.mjs';

const City = z.object({ city: z.string(), population: z.number().int() });
const ANSWER = { city: 'Paris', population: 2_100_000 };

let stack;

before(async () => {
  stack = await startStack();
});

after(async () => {
  await stack?.stop();
});

/** Answers like a model that follows the request: the forced function's arguments, or JSON in JSON mode. */
function answerStructured(record) {
  const forced = record.body.tool_choice?.function?.name;
  if (forced) return { toolCalls: [{ name: forced, arguments: JSON.stringify(ANSWER) }] };
  if (record.body.response_format?.type === 'json_object') return { content: JSON.stringify(ANSWER) };
  return undefined;
}

async function withDump(label, fn) {
  stack.fake.reset();
  stack.fake.responder = answerStructured;
  try {
    await fn();
  } catch (error) {
    error.message += `\n(fake requests and gateway output: ${stack.dump(label)})`;
    throw error;
  } finally {
    stack.fake.responder = undefined;
  }
}

describe('structured output on DeepSeek', () => {
  test('AI SDK generateObject with a DeepSeek model name (OpenAI provider, response_format json_schema)', () => withDump('ai-sdk-openai', async () => {
    const openai = createOpenAI({ baseURL: `${stack.gateway.url}/v1`, apiKey: 'test-client-key' });
    const { object } = await generateObject({ model: openai.chat('deepseek-v4-flash'), schema: City, prompt: 'Biggest city of France?', maxRetries: 0 });
    assert.deepEqual(object, ANSWER);
    const sent = stack.fake.requests.at(-1).body;
    assert.equal(sent.response_format, undefined, 'DeepSeek never sees json_schema');
    assert.equal(sent.tool_choice.function.name, 'structured_output');
    assert.equal(sent.thinking.type, 'disabled');
  }));

  test('AI SDK generateObject with a Claude model name (Anthropic provider, output_config.format)', () => withDump('ai-sdk-anthropic', async () => {
    const anthropic = createAnthropic({ baseURL: `${stack.gateway.url}/v1`, apiKey: 'test-client-key' });
    const { object } = await generateObject({ model: anthropic('claude-sonnet-4-5'), schema: City, prompt: 'Biggest city of France?', maxRetries: 0 });
    assert.deepEqual(object, ANSWER);
    const sent = stack.fake.requests.at(-1).body;
    assert.equal(sent.tool_choice.function.name, 'structured_output');
  }));

  test("LangChain's withStructuredOutput, default method (response_format json_schema)", () => withDump('langchain-default', async () => {
    const model = new ChatOpenAI({ model: 'deepseek-v4-flash', apiKey: 'test-client-key', maxRetries: 0, configuration: { baseURL: `${stack.gateway.url}/v1` } });
    const object = await model.withStructuredOutput(City).invoke('Biggest city of France?');
    assert.deepEqual(object, ANSWER);
  }));

  test("LangChain's withStructuredOutput, functionCalling (a forced tool, served with thinking off)", () => withDump('langchain-function-calling', async () => {
    const model = new ChatOpenAI({ model: 'deepseek-v4-flash', apiKey: 'test-client-key', maxRetries: 0, configuration: { baseURL: `${stack.gateway.url}/v1` } });
    const object = await model.withStructuredOutput(City, { method: 'functionCalling' }).invoke('Biggest city of France?');
    assert.deepEqual(object, ANSWER);
    const sent = stack.fake.requests.at(-1).body;
    assert.equal(sent.thinking.type, 'disabled', 'DeepSeek rejects a forced tool_choice in thinking mode');
  }));
});
