// A small scriptable fake of DeepSeek's OpenAI-format Chat Completions API (V4 era), for end-to-end tests.
// It follows DeepSeek's API documentation: §1 request rules, §2 the V4 reasoning_content rule,
// §3 the response object, §4 the streaming format (keep-alive comments, first chunk, reasoning chunks with
// content:null, tool-call fragments, a last chunk with usage, then [DONE]) and §5 the error body.
//
// Scripting:
//   fake.enqueue(reply, ...)      replies are used in order, one per successful request
//   fake.responder = (req) => reply | undefined   decides per request (consulted before the queue)
//   when neither gives a reply, the default text is answered.
// A reply: { reasoning?, content?, toolCalls?: [{ name, arguments (string or object), id? }], finishReason?,
//            chunkSize?, usage?: partial usage override, keepAlives?, status?, error?: {message,type,code},
//            abortAfterFrames?: drop the connection after that many stream frames }
// Every request is recorded in fake.requests: { method, path, headers, body, status, response }.

import http from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';

export const REASONING_CONTENT_ERROR = 'The `reasoning_content` in the thinking mode must be passed back to the API.';
export const TOOL_CHOICE_ERROR = 'Thinking mode does not support this tool_choice';
export const DEFAULT_TEXT = 'Hello from the fake DeepSeek.';
export const DEFAULT_REASONING = 'The user wants a short answer. I will give one.';
const MAX_TOKENS_LIMIT = 393_216;

/** Error body in DeepSeek's (OpenAI) shape. */
export function deepSeekError(message, type = 'invalid_request_error', code = 'invalid_request_error') {
  return { error: { message, type, param: null, code } };
}

/** A rough token estimate, enough for plausible usage numbers. */
function estimateTokens(value) {
  const text = typeof value === 'string' ? value : JSON.stringify(value ?? '');
  return Math.max(1, Math.ceil(text.length / 4));
}

function chunks(text, size) {
  if (!text) return [];
  const out = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

/** Whether the request runs in thinking mode. V4: thinking is on unless the request disables it (§0, §1). */
export function isThinking(body) {
  return body?.thinking?.type !== 'disabled';
}

/** Validates a request like DeepSeek V4 does; returns an error message or null. */
function validate(body, path) {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return 'Failed to deserialize the JSON body into the target type';
  if (typeof body.model !== 'string' || body.model.length === 0) return 'Failed to deserialize the JSON body into the target type: missing field `model`';
  if (!['deepseek-v4-flash', 'deepseek-v4-pro', 'deepseek-flash', 'deepseek-chat', 'deepseek-reasoner'].includes(body.model)) return 'Model Not Exist';
  if (!Array.isArray(body.messages) || body.messages.length === 0) return 'Failed to deserialize the JSON body into the target type: messages: invalid length 0';
  if (body.max_tokens !== undefined && body.max_tokens !== null &&
      (!Number.isInteger(body.max_tokens) || body.max_tokens < 1 || body.max_tokens > MAX_TOKENS_LIMIT)) {
    return `Invalid max_tokens value, the valid range of max_tokens is [1, ${MAX_TOKENS_LIMIT}]`;
  }
  if (body.stream_options !== undefined && body.stream_options !== null && body.stream !== true) {
    return 'The `stream_options` parameter is only allowed when `stream` is true';
  }
  if (body.thinking !== undefined && body.thinking !== null && !['enabled', 'disabled'].includes(body.thinking?.type)) {
    return 'Failed to deserialize the JSON body into the target type: thinking.type: unknown variant';
  }
  if (body.tools !== undefined && body.tools !== null) {
    if (!Array.isArray(body.tools)) return 'Failed to deserialize the JSON body into the target type: tools';
    if (body.tools.length > 128) return 'Too many tools: at most 128 are allowed';
    for (const tool of body.tools) {
      if (tool?.type !== 'function' || typeof tool.function?.name !== 'string') return 'Failed to deserialize the JSON body into the target type: tools[].function';
      if (!/^[a-zA-Z0-9_-]{1,64}$/.test(tool.function.name)) return `Invalid tool name: ${tool.function.name}`;
    }
  }
  const thinking = isThinking(body);
  if (thinking && body.tool_choice !== undefined && body.tool_choice !== null &&
      (body.tool_choice === 'required' || typeof body.tool_choice === 'object')) {
    return TOOL_CHOICE_ERROR;
  }

  const pendingToolCalls = new Set();
  for (let i = 0; i < body.messages.length; i++) {
    const message = body.messages[i];
    const role = message?.role;
    if (!['system', 'user', 'assistant', 'tool'].includes(role)) return `Failed to deserialize the JSON body into the target type: messages[${i}]: unknown variant \`${role}\``;
    if (role !== 'tool' && pendingToolCalls.size > 0) {
      return `An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. (insufficient tool messages following tool_calls message at index ${i})`;
    }
    if (role === 'user' || role === 'system') {
      if (typeof message.content !== 'string') return `Failed to deserialize the JSON body into the target type: messages[${i}].content: expected a string`;
    }
    if (role === 'assistant') {
      if (message.prefix === true) {
        if (!path.startsWith('/beta/')) return 'Prefix completion is only supported on the beta API (base_url="https://api.deepseek.com/beta")';
        if (i !== body.messages.length - 1) return 'The assistant message with prefix=true must be the last message';
      }
      if (message.content !== null && message.content !== undefined && typeof message.content !== 'string') {
        return `Failed to deserialize the JSON body into the target type: messages[${i}].content: expected a string`;
      }
      if (Array.isArray(message.tool_calls) && message.tool_calls.length > 0) {
        for (const call of message.tool_calls) {
          if (typeof call?.id !== 'string' || call.type !== 'function' || typeof call.function?.name !== 'string' || typeof call.function?.arguments !== 'string') {
            return `Failed to deserialize the JSON body into the target type: messages[${i}].tool_calls`;
          }
          pendingToolCalls.add(call.id);
        }
        // §2, V4: an assistant tool-call turn in thinking mode must carry its reasoning_content in all later requests.
        if (thinking && typeof message.reasoning_content !== 'string') return REASONING_CONTENT_ERROR;
      } else if ((message.content === null || message.content === undefined) && message.prefix !== true) {
        return `Invalid assistant message at index ${i}: content or tool_calls must be set`;
      }
    }
    if (role === 'tool') {
      if (typeof message.tool_call_id !== 'string') return `Failed to deserialize the JSON body into the target type: messages[${i}]: missing field \`tool_call_id\``;
      if (!pendingToolCalls.has(message.tool_call_id)) {
        return `Messages with role 'tool' must be a response to a preceding message with 'tool_calls' (messages[${i}].tool_call_id ${message.tool_call_id})`;
      }
      pendingToolCalls.delete(message.tool_call_id);
      if (typeof message.content !== 'string') return `Failed to deserialize the JSON body into the target type: messages[${i}].content: expected a string`;
    }
  }
  if (pendingToolCalls.size > 0) {
    return 'An assistant message with \'tool_calls\' must be followed by tool messages responding to each \'tool_call_id\'. (insufficient tool messages following tool_calls message)';
  }
  return null;
}

function toolCallsOf(reply) {
  return (reply.toolCalls ?? []).map((call, i) => ({
    id: call.id ?? `call_${String(i).padStart(2, '0')}_${randomBytes(12).toString('base64url')}`,
    type: 'function',
    function: {
      name: call.name,
      arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments ?? {}),
    },
  }));
}

function usageOf(body, reasoning, content, toolCalls, override) {
  const prompt = estimateTokens(body.messages) + (body.tools ? estimateTokens(body.tools) : 0);
  const hit = Math.floor(prompt / 128) * 128;
  const reasoningTokens = reasoning ? estimateTokens(reasoning) : 0;
  const completion = reasoningTokens + (content ? estimateTokens(content) : 0) +
    toolCalls.reduce((sum, call) => sum + estimateTokens(call.function.name + call.function.arguments), 0) || 1;
  const usage = {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: hit },
    prompt_cache_hit_tokens: hit,
    prompt_cache_miss_tokens: prompt - hit,
    completion_tokens_details: { reasoning_tokens: reasoningTokens },
  };
  return { ...usage, ...(override ?? {}) };
}

/**
 * Starts the fake on 127.0.0.1 with a free port.
 * @param {{ apiKey?: string, defaultText?: string }} [options]
 */
export async function startFakeDeepSeek(options = {}) {
  const apiKey = options.apiKey ?? 'sk-fake-deepseek-key';
  const queue = [];
  const requests = [];
  const fake = {
    apiKey,
    defaultText: options.defaultText ?? DEFAULT_TEXT,
    requests,
    /** @type {((request: object) => object | undefined) | null} */
    responder: null,
    url: '',
    port: 0,
    enqueue(...replies) { queue.push(...replies); },
    reset() { queue.length = 0; requests.length = 0; fake.responder = null; },
    get pending() { return queue.length; },
    /** Requests to the chat completions endpoints only. */
    get completions() { return requests.filter((r) => r.path.endsWith('/chat/completions')); },
    close: () => new Promise((resolve) => { server.closeAllConnections?.(); server.close(() => resolve()); }),
  };

  const server = http.createServer((req, res) => {
    const data = [];
    req.on('data', (chunk) => data.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(data).toString('utf8');
      const url = new URL(req.url, 'http://fake');
      const record = { method: req.method, path: url.pathname, headers: req.headers, rawBody: raw, body: undefined, status: 0, response: undefined, time: Date.now() };
      requests.push(record);
      try {
        handle(record, req, res);
      } catch (error) {
        record.status = 500;
        record.response = { fakeError: String(error?.stack ?? error) };
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify(deepSeekError(`fake-deepseek crashed: ${error}`, 'api_error', 'internal_error')));
      }
    });
  });

  function sendJson(record, res, status, payload, blankLines = 0) {
    record.status = status;
    record.response = payload;
    res.writeHead(status, { 'content-type': 'application/json', 'x-ds-trace-id': randomUUID() });
    // §4: non-streaming requests may receive blank lines (keep-alives) before the JSON body.
    res.end('\n'.repeat(blankLines) + JSON.stringify(payload));
  }

  function handle(record, req, res) {
    if (req.headers.authorization !== `Bearer ${apiKey}`) {
      const shown = (req.headers.authorization ?? '').replace(/^Bearer\s+/i, '');
      return sendJson(record, res, 401, deepSeekError(`Authentication Fails, Your api key: ****${shown.slice(-4)} is invalid`, 'authentication_error', 'invalid_request_error'));
    }
    if (req.method === 'GET' && record.path === '/models') {
      return sendJson(record, res, 200, { object: 'list', data: [{ id: 'deepseek-v4-flash', object: 'model', owned_by: 'deepseek' }, { id: 'deepseek-v4-pro', object: 'model', owned_by: 'deepseek' }] });
    }
    if (req.method !== 'POST' || (record.path !== '/chat/completions' && record.path !== '/beta/chat/completions')) {
      return sendJson(record, res, 404, deepSeekError(`Not Found: ${req.method} ${record.path}`, 'invalid_request_error', 'not_found'));
    }
    let body;
    try {
      body = JSON.parse(record.rawBody);
    } catch {
      return sendJson(record, res, 400, deepSeekError('Failed to deserialize the JSON body into the target type: invalid JSON'));
    }
    record.body = body;
    const invalid = validate(body, record.path);
    if (invalid) return sendJson(record, res, 400, deepSeekError(invalid));

    let reply = fake.responder?.(record);
    if (reply === undefined || reply === null) reply = queue.shift();
    if (reply === undefined) reply = { content: fake.defaultText };
    record.reply = reply;
    if (reply.status && reply.status !== 200) {
      return sendJson(record, res, reply.status, reply.error ? { error: { param: null, ...reply.error } } : deepSeekError('scripted error', 'api_error', 'internal_error'));
    }

    const thinking = isThinking(body);
    const reasoning = thinking ? (reply.reasoning ?? DEFAULT_REASONING) : null;
    let content = reply.content ?? (reply.toolCalls?.length ? null : '');
    // `stop` (a string or ≤16 strings): generation ends before the first stop string, finish_reason "stop".
    const stops = typeof body.stop === 'string' ? [body.stop] : Array.isArray(body.stop) ? body.stop : [];
    let stopped = false;
    for (const stop of stops) {
      const at = content ? content.indexOf(stop) : -1;
      if (at >= 0) { content = content.slice(0, at); stopped = true; }
    }
    const toolCalls = stopped ? [] : toolCallsOf(reply);
    const finishReason = stopped ? 'stop' : reply.finishReason ?? (toolCalls.length ? 'tool_calls' : 'stop');
    const usage = usageOf(body, reasoning, content, toolCalls, reply.usage);
    const id = randomUUID();
    const created = Math.floor(Date.now() / 1000);
    const model = body.model;

    if (body.stream !== true) {
      const message = { role: 'assistant', content };
      if (thinking) message.reasoning_content = reasoning;
      if (toolCalls.length) message.tool_calls = toolCalls;
      return sendJson(record, res, 200, {
        id, object: 'chat.completion', created, model, system_fingerprint: 'fp_fake_prod',
        choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason }],
        usage,
      }, reply.keepAlives ?? 1);
    }

    // Streaming, §4.
    record.status = 200;
    record.response = { streamed: true, reasoning, content, toolCalls, finishReason, usage };
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-ds-trace-id': randomUUID() });
    const includeUsage = body.stream_options?.include_usage === true;
    const size = Math.max(1, reply.chunkSize ?? 7);
    const frames = [];
    const chunk = (delta, finish = null, extra = {}) => {
      const value = { id, object: 'chat.completion.chunk', created, model, system_fingerprint: 'fp_fake_prod', choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] };
      if (includeUsage) value.usage = null;
      return { ...value, ...extra };
    };
    for (let k = 0; k < (reply.keepAlives ?? 1); k++) frames.push(': keep-alive\n\n');
    const first = { role: 'assistant', content: '' };
    if (thinking) first.reasoning_content = '';
    frames.push(chunk(first));
    for (const piece of chunks(reasoning, size)) frames.push(chunk({ content: null, reasoning_content: piece }));
    for (const piece of chunks(content, size)) frames.push(chunk(thinking ? { content: piece, reasoning_content: null } : { content: piece }));
    toolCalls.forEach((call, index) => {
      frames.push(chunk({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.function.name, arguments: '' } }] }));
      for (const piece of chunks(call.function.arguments, size)) frames.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
    });
    frames.push(chunk({}, finishReason, { usage }));
    frames.push('[DONE]');

    let i = 0;
    const next = () => {
      if (res.destroyed) return;
      // abortAfterFrames: the connection drops mid-stream (no finish chunk, no [DONE]).
      if (reply.abortAfterFrames !== undefined && i >= reply.abortAfterFrames) return res.socket?.destroy();
      if (i >= frames.length) return res.end();
      const frame = frames[i++];
      res.write(typeof frame === 'string' && frame.startsWith(':') ? frame : `data: ${typeof frame === 'string' ? frame : JSON.stringify(frame)}\n\n`);
      setImmediate(next);
    };
    next();
  }

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  fake.port = server.address().port;
  fake.url = `http://127.0.0.1:${fake.port}`;
  return fake;
}
