// A strict validator of the raw Anthropic Messages SSE grammar
// (Anthropic's Messages streaming documentation).
//
//   validateAnthropicSse(rawText) → string[]   (empty: the stream is valid)
//
// Rules checked:
// - framing: events separated by a blank line; each has exactly one `event:` line and exactly one `data:` line
//   holding one-line JSON whose `type` equals the event name, with no top-level keys beyond those the event
//   defines; comment lines (`:`) are tolerated.
// - message_start first and exactly once: message.type "message", role "assistant", content [], stop_reason null,
//   stop_sequence null, usage.input_tokens and usage.output_tokens numbers.
// - blocks: content_block_start indices 0..n in emission order, never interleaved; deltas and the stop carry
//   the open block's index; delta types match the block (text → text_delta/citations_delta; thinking →
//   thinking_delta then exactly one non-empty signature_delta immediately before content_block_stop;
//   tool_use → input_json_delta whose fragments concatenate to "" or one JSON object).
// - ping allowed anywhere after message_start (before message_stop).
// - message_delta after the last block: delta.stop_reason non-null, the key delta.stop_sequence present,
//   usage.output_tokens a number; at least one before message_stop.
// - message_stop last; or an `error` event {type:"error", error:{type,message}} ending the stream.

const STOP_REASONS = new Set(['end_turn', 'max_tokens', 'stop_sequence', 'tool_use', 'pause_turn', 'refusal', 'model_context_window_exceeded']);
const KNOWN_EVENTS = new Set(['message_start', 'content_block_start', 'content_block_delta', 'content_block_stop', 'message_delta', 'message_stop', 'ping', 'error']);
const RESULT_BLOCKS = new Set(['redacted_thinking', 'web_search_tool_result', 'web_fetch_tool_result', 'code_execution_tool_result',
  'bash_code_execution_tool_result', 'text_editor_code_execution_tool_result', 'tool_search_tool_result', 'container_upload']);

// The top-level keys each event may carry (§5); anything else is a leak from the server's serializer.
const EVENT_KEYS = {
  message_start: ['type', 'message'],
  content_block_start: ['type', 'index', 'content_block'],
  content_block_delta: ['type', 'index', 'delta'],
  content_block_stop: ['type', 'index'],
  message_delta: ['type', 'delta', 'usage', 'context_management'],
  message_stop: ['type'],
  ping: ['type'],
  error: ['type', 'error', 'request_id'],
};

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const isCount = (v) => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/** Splits raw SSE text into events: [{ line, fields: [[name, value]...] }]. */
export function parseSseEvents(raw) {
  const lines = raw.replace(/\r\n?/g, '\n').split('\n');
  const events = [];
  let current = null;
  lines.forEach((text, i) => {
    if (text === '') {
      if (current) events.push(current);
      current = null;
      return;
    }
    current ??= { line: i + 1, fields: [], comments: 0, unterminated: false };
    if (text.startsWith(':')) {
      current.comments++;
      return;
    }
    const colon = text.indexOf(':');
    const name = colon < 0 ? text : text.slice(0, colon);
    let value = colon < 0 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    current.fields.push([name, value]);
  });
  if (current) {
    current.unterminated = true;
    events.push(current);
  }
  return events;
}

/**
 * Validates a raw Anthropic SSE stream.
 * @param {string} raw the response body as received
 * @returns {string[]} violations, each naming the event number and the rule
 */
export function validateAnthropicSse(raw) {
  const violations = [];
  if (typeof raw !== 'string' || raw.length === 0) return ['stream is empty'];
  const events = parseSseEvents(raw);

  let started = false;
  let finished = null; // 'message_stop' | 'error'
  let nextIndex = 0;
  let open = null; // { index, type, deltas: [], json: '', signatures: 0, afterSignature: false }
  let messageDeltas = 0;
  let toolUseBlocks = 0;
  let lastStopReason = null;

  events.forEach((event, n) => {
    const where = `event #${n + 1} (line ${event.line})`;
    const v = (message) => violations.push(`${where}: ${message}`);
    if (event.fields.length === 0) return; // a comment-only block
    if (event.unterminated) v('event is not terminated by a blank line');

    const names = event.fields.map(([name]) => name);
    const eventLines = event.fields.filter(([name]) => name === 'event');
    const dataLines = event.fields.filter(([name]) => name === 'data');
    const others = names.filter((name) => name !== 'event' && name !== 'data');
    if (others.length) v(`unexpected field(s) ${others.join(', ')}`);
    if (eventLines.length !== 1) v(`expected exactly one "event:" line, found ${eventLines.length}`);
    if (dataLines.length !== 1) v(`expected exactly one "data:" line, found ${dataLines.length}`);
    if (eventLines.length === 0 || dataLines.length === 0) return;
    const name = eventLines[0][1];
    let data;
    try {
      data = JSON.parse(dataLines[0][1]);
    } catch (error) {
      v(`${name}: data is not valid JSON (${error.message})`);
      return;
    }
    if (!isObject(data)) {
      v(`${name}: data is not a JSON object`);
      return;
    }
    if (data.type !== name) v(`data.type ${JSON.stringify(data.type)} does not equal the event name ${JSON.stringify(name)}`);

    if (finished) {
      v(`${name} after ${finished}: nothing may follow the end of the stream`);
      return;
    }
    if (!KNOWN_EVENTS.has(name)) {
      v(`unknown event type ${JSON.stringify(name)}`);
      return;
    }

    const extra = Object.keys(data).filter((key) => !EVENT_KEYS[name].includes(key));
    if (extra.length) v(`${name}: unexpected top-level key(s) ${extra.map((k) => JSON.stringify(k)).join(', ')}`);

    if (name === 'error') {
      if (!isObject(data.error) || typeof data.error.type !== 'string' || typeof data.error.message !== 'string') {
        v('error: expected error:{type:string, message:string}');
      }
      finished = 'error';
      return;
    }

    if (name === 'message_start') {
      if (started) {
        v('second message_start');
        return;
      }
      if (n > 0 && events.slice(0, n).some((e) => e.fields.length > 0)) v('message_start is not the first event');
      started = true;
      const m = data.message;
      if (!isObject(m)) {
        v('message_start: message is not an object');
        return;
      }
      if (typeof m.id !== 'string' || m.id.length === 0) v('message_start: message.id missing');
      if (m.type !== 'message') v(`message_start: message.type is ${JSON.stringify(m.type)}, expected "message"`);
      if (m.role !== 'assistant') v(`message_start: message.role is ${JSON.stringify(m.role)}, expected "assistant"`);
      if (typeof m.model !== 'string') v('message_start: message.model is not a string');
      if (!Array.isArray(m.content) || m.content.length !== 0) v('message_start: message.content must be []');
      if (m.stop_reason !== null) v(`message_start: stop_reason must be null, got ${JSON.stringify(m.stop_reason)}`);
      if (!('stop_sequence' in m) || m.stop_sequence !== null) v('message_start: stop_sequence must be present and null');
      if (!isObject(m.usage)) v('message_start: message.usage missing');
      else {
        if (!isCount(m.usage.input_tokens)) v(`message_start: usage.input_tokens is not a number (${JSON.stringify(m.usage.input_tokens)})`);
        if (!isCount(m.usage.output_tokens)) v(`message_start: usage.output_tokens is not a number (${JSON.stringify(m.usage.output_tokens)})`);
      }
      return;
    }

    if (!started) {
      v(`${name} before message_start`);
      return;
    }

    switch (name) {
      case 'ping':
        return;
      case 'content_block_start': {
        if (messageDeltas > 0) v('content_block_start after message_delta');
        if (open) v(`content_block_start(${data.index}) while block ${open.index} is still open (interleaving)`);
        if (data.index !== nextIndex) v(`content_block_start index ${JSON.stringify(data.index)}, expected ${nextIndex}`);
        const block = data.content_block;
        if (!isObject(block) || typeof block.type !== 'string') {
          v('content_block_start: content_block missing or without type');
          open = { index: data.index, type: '?', json: '', signatures: 0, afterSignature: false };
        } else {
          if (block.type === 'text') {
            if (block.text !== '') v(`content_block_start: text block must start with text "", got ${JSON.stringify(block.text)}`);
          } else if (block.type === 'thinking') {
            if (block.thinking !== '') v('content_block_start: thinking block must start with thinking ""');
            if (block.signature !== '') v('content_block_start: thinking block must start with signature ""');
          } else if (block.type === 'tool_use' || block.type === 'server_tool_use') {
            if (typeof block.id !== 'string' || block.id.length === 0) v(`content_block_start: ${block.type} without id`);
            if (typeof block.name !== 'string' || block.name.length === 0) v(`content_block_start: ${block.type} without name`);
            if (!isObject(block.input) || Object.keys(block.input).length !== 0) v(`content_block_start: ${block.type} input must be {}`);
            if (block.type === 'tool_use') toolUseBlocks++;
          } else if (!RESULT_BLOCKS.has(block.type)) {
            v(`content_block_start: unknown block type ${JSON.stringify(block.type)}`);
          }
          open = { index: data.index, type: block.type, json: '', signatures: 0, afterSignature: false };
        }
        nextIndex = (Number.isInteger(data.index) ? data.index : nextIndex) + 1;
        return;
      }
      case 'content_block_delta': {
        if (!open) {
          v(`content_block_delta(${data.index}) with no open block`);
          return;
        }
        if (data.index !== open.index) v(`content_block_delta index ${JSON.stringify(data.index)} but the open block is ${open.index}`);
        const d = data.delta;
        if (!isObject(d) || typeof d.type !== 'string') {
          v('content_block_delta: delta missing or without type');
          return;
        }
        if (open.afterSignature) v(`${d.type} after signature_delta: signature_delta must come immediately before content_block_stop`);
        switch (open.type) {
          case 'text':
            if (d.type === 'text_delta') {
              if (typeof d.text !== 'string') v('text_delta.text is not a string');
            } else if (d.type === 'citations_delta') {
              if (!isObject(d.citation)) v('citations_delta.citation is not an object');
            } else v(`${d.type} in a text block`);
            break;
          case 'thinking':
            if (d.type === 'thinking_delta') {
              if (typeof d.thinking !== 'string') v('thinking_delta.thinking is not a string');
            } else if (d.type === 'signature_delta') {
              if (typeof d.signature !== 'string' || d.signature.length === 0) v('signature_delta.signature is empty or not a string');
              open.signatures++;
              open.afterSignature = true;
            } else v(`${d.type} in a thinking block`);
            break;
          case 'tool_use':
          case 'server_tool_use':
            if (d.type === 'input_json_delta') {
              if (typeof d.partial_json !== 'string') v('input_json_delta.partial_json is not a string');
              else open.json += d.partial_json;
            } else v(`${d.type} in a ${open.type} block`);
            break;
          default:
            v(`${d.type} in a ${open.type} block (which takes no deltas)`);
        }
        return;
      }
      case 'content_block_stop': {
        if (!open) {
          v(`content_block_stop(${data.index}) with no open block`);
          return;
        }
        if (data.index !== open.index) v(`content_block_stop index ${JSON.stringify(data.index)} but the open block is ${open.index}`);
        if (open.type === 'thinking') {
          if (open.signatures !== 1) v(`thinking block ${open.index} has ${open.signatures} signature_delta events, expected exactly 1`);
          else if (!open.afterSignature) v(`thinking block ${open.index}: signature_delta is not immediately before content_block_stop`);
        }
        if ((open.type === 'tool_use' || open.type === 'server_tool_use') && open.json !== '') {
          try {
            const parsed = JSON.parse(open.json);
            if (!isObject(parsed)) v(`${open.type} block ${open.index}: input_json_delta fragments form ${typeof parsed}, not a JSON object`);
          } catch (error) {
            v(`${open.type} block ${open.index}: input_json_delta fragments do not form valid JSON (${error.message}): ${open.json.slice(0, 200)}`);
          }
        }
        open = null;
        return;
      }
      case 'message_delta': {
        if (open) v(`message_delta while block ${open.index} is open`);
        messageDeltas++;
        const d = data.delta;
        if (!isObject(d)) v('message_delta: delta is not an object');
        else {
          if (typeof d.stop_reason !== 'string') v(`message_delta: delta.stop_reason must be a non-null string, got ${JSON.stringify(d.stop_reason)}`);
          else if (!STOP_REASONS.has(d.stop_reason)) v(`message_delta: unknown stop_reason ${JSON.stringify(d.stop_reason)}`);
          else lastStopReason = d.stop_reason;
          if (!('stop_sequence' in d)) v('message_delta: delta.stop_sequence key missing');
          else if (d.stop_sequence !== null && typeof d.stop_sequence !== 'string') v('message_delta: delta.stop_sequence must be null or a string');
          if (d.stop_reason === 'stop_sequence' && typeof d.stop_sequence !== 'string') v('message_delta: stop_reason stop_sequence without the stop_sequence string');
        }
        if (!isObject(data.usage)) v('message_delta: usage missing');
        else if (!isCount(data.usage.output_tokens)) v(`message_delta: usage.output_tokens is not a number (${JSON.stringify(data.usage.output_tokens)})`);
        return;
      }
      case 'message_stop': {
        if (open) v(`message_stop while block ${open.index} is open`);
        if (messageDeltas === 0) v('message_stop without a preceding message_delta');
        if (lastStopReason === 'tool_use' && toolUseBlocks === 0) v('stop_reason tool_use but the message has no tool_use block');
        if (lastStopReason && lastStopReason !== 'tool_use' && lastStopReason !== 'max_tokens' && toolUseBlocks > 0) {
          v(`message has tool_use blocks but stop_reason is ${lastStopReason}`);
        }
        finished = 'message_stop';
        return;
      }
      default:
    }
  });

  if (!started && finished !== 'error') violations.push('stream has no message_start');
  if (!finished) violations.push('stream does not end with message_stop or an error event');
  return violations;
}
