// The official `openai` npm client's Responses API (responses.create, responses.stream, retrieve, inputItems, delete)
// against Switchyard (built and run as a process) over the fake DeepSeek: plain and streamed answers, a stateless
// tool loop with sealed reasoning (the fake enforces DeepSeek V4's reasoning_content rule), store:false, a forced
// function call, a json_schema format, and previous_response_id across two gateway processes on one PostgreSQL.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import OpenAI from 'openai';
import { startStack, teeingFetch, UPSTREAM_KEY } from './harness.mjs';
import { startGateway } from './gateway.mjs';
import { parseSseEvents } from './sse-validator.mjs';

const MODEL = 'deepseek-v4-flash';
const WEATHER = [{ type: 'function', name: 'get_weather', description: 'Weather of a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } }];

let stack;
let openai;
/** Raw SSE bodies the client read. */
const rawStreams = [];

/** An OpenAI client for a gateway whose fetch keeps a copy of every SSE body. */
function clientFor(url, apiKey = 'test-openai-client') {
  return new OpenAI({ baseURL: `${url}/v1`, apiKey, maxRetries: 0, timeout: 30_000, fetch: teeingFetch((capture) => rawStreams.push(capture.text)) });
}

before(async () => {
  stack = await startStack();
  openai = clientFor(stack.gateway.url);
});

after(async () => {
  await stack?.stop();
});

const withDump = (label, fn) => stack.withDump(label, fn);

/** The JSON events of a raw SSE body, checked for the sequence_number and event-name rules. */
function eventsOf(raw) {
  const events = parseSseEvents(raw)
    .map((e) => ({ name: e.fields.find(([n]) => n === 'event')?.[1], data: e.fields.filter(([n]) => n === 'data').map(([, v]) => v).join('\n') }))
    .filter((e) => e.data.length > 0)
    .map((e) => ({ ...JSON.parse(e.data), eventName: e.name }));
  events.forEach((event, i) => {
    assert.equal(event.sequence_number, i, `sequence_number of event ${i}`);
    assert.equal(event.eventName, event.type, 'the SSE event name is the event type');
  });
  return events;
}

describe('openai npm client, Responses API', () => {
  test('responses.create: reasoning summary, text and usage', () => withDump('responses create', async () => {
    stack.fake.enqueue({ content: 'Paris.', reasoning: 'The capital of France.' });
    const response = await openai.responses.create({ model: MODEL, instructions: 'One word.', input: 'Capital of France?', reasoning: { summary: 'auto' } });
    assert.equal(response.object, 'response');
    assert.equal(response.status, 'completed');
    assert.equal(response.model, MODEL);
    assert.equal(response.output_text, 'Paris.');
    assert.equal(response.output[0].type, 'reasoning');
    assert.equal(response.output[0].summary[0].text, 'The capital of France.');
    assert.ok(response.usage.input_tokens > 0);
    assert.equal(response.usage.total_tokens, response.usage.input_tokens + response.usage.output_tokens);
    assert.ok(response.usage.output_tokens_details.reasoning_tokens > 0);
    const sent = stack.fake.completions.at(-1).body;
    assert.deepEqual(sent.messages.map((m) => m.role), ['system', 'user']);
    assert.equal(sent.thinking.type, 'enabled');
  }));

  test('responses.stream: events in order, text deltas, final response', () => withDump('responses stream', async () => {
    stack.fake.enqueue({ content: 'Streamed, in pieces.', reasoning: 'Think first.', chunkSize: 4, keepAlives: 2 });
    rawStreams.length = 0;
    const stream = openai.responses.stream({ model: MODEL, input: 'Stream it' });
    let text = '';
    const types = [];
    stream.on('response.output_text.delta', (event) => { text += event.delta; });
    stream.on('event', (event) => types.push(event.type));
    const final = await stream.finalResponse();
    assert.equal(text, 'Streamed, in pieces.');
    assert.equal(final.status, 'completed');
    assert.equal(final.output_text, 'Streamed, in pieces.');
    assert.deepEqual(types.slice(0, 3), ['response.created', 'response.in_progress', 'response.output_item.added']);
    assert.ok(types.includes('response.reasoning_text.delta'));
    assert.equal(types.at(-1), 'response.completed');
    const events = eventsOf(await rawStreams.at(-1));
    assert.equal(events.length, types.length);
  }));

  test('stateless tool loop: sealed reasoning comes back on the tool-call turn (DeepSeek V4 rule)', () => withDump('responses tools', async () => {
    stack.fake.enqueue({ reasoning: 'I should call get_weather.', toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }] });
    const first = await openai.responses.stream({
      model: MODEL, input: 'Weather in Paris?', tools: WEATHER, store: false, include: ['reasoning.encrypted_content'],
    }).finalResponse();
    const call = first.output.find((item) => item.type === 'function_call');
    assert.equal(call.name, 'get_weather');
    assert.deepEqual(JSON.parse(call.arguments), { city: 'Paris' });
    const reasoning = first.output.find((item) => item.type === 'reasoning');
    assert.match(reasoning.encrypted_content, /^sy1r\./);

    stack.fake.enqueue({ content: 'It is 18 °C in Paris.' });
    const second = await openai.responses.create({
      model: MODEL, tools: WEATHER, store: false,
      input: [{ role: 'user', content: 'Weather in Paris?' }, ...first.output, { type: 'function_call_output', call_id: call.call_id, output: '18 °C' }],
    });
    assert.equal(second.output_text, 'It is 18 °C in Paris.');
    const sent = stack.fake.completions.at(-1);
    assert.equal(sent.status, 200, 'the fake accepted the replay (reasoning_content present)');
    const assistant = sent.body.messages.find((m) => m.role === 'assistant');
    assert.equal(assistant.reasoning_content, 'I should call get_weather.');
    assert.equal(assistant.tool_calls[0].id, call.call_id);
  }));

  test('store:false keeps nothing; previous_response_id and retrieve/inputItems/delete with store on', () => withDump('responses store', async () => {
    const unstored = await openai.responses.create({ model: MODEL, input: 'Forget me.', store: false });
    await assert.rejects(() => openai.responses.retrieve(unstored.id), (error) => error.status === 404 && error.error?.type === 'invalid_request_error');

    stack.fake.enqueue({ content: 'Hello Ada.' });
    const first = await openai.responses.create({ model: MODEL, input: 'I am Ada.' });
    stack.fake.enqueue({ content: 'You are Ada.' });
    const second = await openai.responses.create({ model: MODEL, input: 'Who am I?', previous_response_id: first.id });
    assert.equal(second.previous_response_id, first.id);
    assert.deepEqual(stack.fake.completions.at(-1).body.messages.map((m) => m.content), ['I am Ada.', 'Hello Ada.', 'Who am I?']);

    const fetched = await openai.responses.retrieve(first.id);
    assert.equal(fetched.output_text, 'Hello Ada.');
    const items = [];
    for await (const item of openai.responses.inputItems.list(second.id)) items.push(item);
    assert.equal(items.length, 1);
    assert.equal(items[0].content[0].text, 'Who am I?');
    await openai.responses.delete(first.id);
    await assert.rejects(() => openai.responses.create({ model: MODEL, input: 'Again?', previous_response_id: second.id }), (error) => error.status === 404);
  }));

  test('a forced function call turns thinking off for that request', () => withDump('responses forced', async () => {
    stack.fake.enqueue({ toolCalls: [{ name: 'get_weather', arguments: { city: 'Rome' } }] });
    const { data, response } = await openai.responses.create({
      model: MODEL, input: 'Weather in Rome?', tools: WEATHER, tool_choice: { type: 'function', name: 'get_weather' },
    }).withResponse();
    assert.equal(response.headers.get('x-switchyard-thinking'), 'disabled-for-forced-tool-choice');
    assert.equal(data.output[0].type, 'function_call');
    assert.equal(data.output[0].call_id, stack.fake.completions.at(-1).response.choices[0].message.tool_calls[0].id);
    const sent = stack.fake.completions.at(-1).body;
    assert.equal(sent.thinking.type, 'disabled');
    assert.deepEqual(sent.tool_choice, { type: 'function', function: { name: 'get_weather' } });
  }));

  test('a json_schema format is asked as a strict forced call and its answer checked', () => withDump('responses json_schema', async () => {
    stack.fake.enqueue({ content: '{"name":"Ada Lovelace","year":1843}' });
    const schema = { type: 'object', properties: { name: { type: 'string' }, year: { type: 'integer' } }, required: ['name', 'year'], additionalProperties: false };
    const { data, response } = await openai.responses.create({
      model: MODEL, input: 'Who wrote the first program, and when?', text: { format: { type: 'json_schema', name: 'person', schema, strict: true } },
    }).withResponse();
    assert.equal(response.headers.get('x-switchyard-structured-output'), 'strict-tool');
    assert.deepEqual(JSON.parse(data.output_text), { name: 'Ada Lovelace', year: 1843 });
    assert.equal(data.text.format.type, 'json_schema');
    const sent = stack.fake.completions.at(-1).body;
    assert.deepEqual(sent.tool_choice, { type: 'function', function: { name: 'structured_output' } });
    assert.equal(sent.tools[0].function.strict, true);
    assert.deepEqual(sent.tools[0].function.parameters.required, ['name', 'year']);
  }));

  test('bad input is a 400 in OpenAI format, never a 5xx', () => withDump('responses errors', async () => {
    const cases = [
      [{ model: MODEL, input: 'x', tools: [{ type: 'web_search' }] }, 'tools'],
      [{ model: MODEL, input: [{ type: 'local_shell_call', call_id: 'c', action: { type: 'exec', command: ['ls'] }, status: 'completed' }] }, 'input[0].type'],
      [{ model: MODEL, input: [{ type: 'function_call_output', output: 'x' }] }, 'input[0].call_id'],
    ];
    for (const [body, param] of cases) {
      await assert.rejects(() => openai.responses.create(body), (error) => {
        assert.equal(error.status, 400, JSON.stringify(error.error));
        assert.equal(error.error.type, 'invalid_request_error');
        assert.equal(error.error.param, param);
        return true;
      });
    }
    await assert.rejects(() => openai.responses.create({ model: MODEL, input: 'x', previous_response_id: 'resp_does_not_exist' }), (error) => error.status === 404);
    assert.equal(stack.fake.completions.length, 0);
  }));
});

/** A fresh database on the test PostgreSQL (SWITCHYARD_TEST_POSTGRES), created with psql; null without one. */
function createDatabase() {
  const connection = process.env.SWITCHYARD_TEST_POSTGRES;
  if (!connection) return null;
  const settings = Object.fromEntries(connection.split(';').filter(Boolean).map((pair) => pair.split('=')).map(([k, v]) => [k.toLowerCase(), v]));
  const versions = (() => { try { return readdirSync('/usr/lib/postgresql').sort(); } catch { return []; } })();
  const psql = versions.length ? `/usr/lib/postgresql/${versions.at(-1)}/bin/psql` : 'psql';
  const name = `sy_e2e_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const run = (sql) => spawnSync(psql, ['-h', settings.host, '-p', settings.port, '-U', settings.username, '-d', settings.database ?? 'postgres', '-c', sql], { encoding: 'utf8' });
  const created = run(`CREATE DATABASE ${name}`);
  if (created.status !== 0) throw new Error(`psql could not create a database: ${created.stderr}`);
  return {
    connectionString: `${connection.replace(/Database=[^;]*/i, '')};Database=${name}`.replace(/;;+/g, ';'),
    drop: () => run(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

describe('previous_response_id across replicas', () => {
  const database = createDatabase();
  test('two gateway processes sharing one PostgreSQL continue each other\'s responses', { skip: !database && process.env.CI !== 'true' && 'SWITCHYARD_TEST_POSTGRES is not set' }, async () => {
    assert.ok(database, 'CI=true needs SWITCHYARD_TEST_POSTGRES');
    const env = { Switchyard__Storage__PostgreSql: database.connectionString };
    const replicas = [];
    try {
      replicas.push(await startGateway({ upstreamUrl: stack.fake.url, upstreamKey: UPSTREAM_KEY, env }));
      replicas.push(await startGateway({ upstreamUrl: stack.fake.url, upstreamKey: UPSTREAM_KEY, env }));
      const [a, b] = replicas.map((replica) => clientFor(replica.url));
      stack.fake.reset();
      stack.fake.enqueue({ reasoning: 'Look it up.', toolCalls: [{ name: 'get_weather', arguments: { city: 'Oslo' } }] });
      const first = await a.responses.create({ model: MODEL, input: 'Weather in Oslo?', tools: WEATHER });
      const call = first.output.find((item) => item.type === 'function_call');

      stack.fake.enqueue({ content: 'Cold in Oslo.' });
      const second = await b.responses.stream({
        model: MODEL, tools: WEATHER, previous_response_id: first.id, input: [{ type: 'function_call_output', call_id: call.call_id, output: '-3 °C' }],
      }).finalResponse();
      assert.equal(second.output_text, 'Cold in Oslo.');
      const sent = stack.fake.completions.at(-1);
      assert.equal(sent.status, 200);
      assert.deepEqual(sent.body.messages.map((m) => m.role), ['user', 'assistant', 'tool']);
      assert.equal(sent.body.messages[1].reasoning_content, 'Look it up.');
      assert.equal((await a.responses.retrieve(second.id)).output_text, 'Cold in Oslo.');
    } finally {
      for (const replica of replicas) await replica.stop();
      database?.drop();
    }
  });
});
