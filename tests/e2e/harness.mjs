// Shared setup: a fake DeepSeek, a Switchyard in front of it, and an Anthropic SDK client whose fetch keeps a
// copy of every raw SSE body it reads.
import Anthropic from '@anthropic-ai/sdk';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startFakeDeepSeek } from './fake-deepseek.mjs';
import { startGateway } from './gateway.mjs';

export const UPSTREAM_KEY = 'sk-e2e-upstream-0123456789abcdef';

/**
 * A fetch that hands the SDK its response and keeps a copy of every SSE body: onCapture receives
 * { url, status, contentType, text: Promise<string> }.
 */
export function teeingFetch(onCapture) {
  return async (input, init) => {
    const response = await fetch(input, init);
    const contentType = response.headers.get('content-type') ?? '';
    if (!contentType.includes('text/event-stream') || !response.body) return response;
    const [forSdk, forUs] = response.body.tee();
    onCapture({ url: String(input?.url ?? input), status: response.status, contentType, text: new Response(forUs).text() });
    return new Response(forSdk, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}

export async function startStack({ gatewayEnv } = {}) {
  const fake = await startFakeDeepSeek({ apiKey: UPSTREAM_KEY });
  let gateway;
  try {
    gateway = await startGateway({ upstreamUrl: fake.url, upstreamKey: UPSTREAM_KEY, env: gatewayEnv });
  } catch (error) {
    await fake.close();
    throw error;
  }
  /** Raw SSE bodies seen by the SDK's fetch: [{ url, status, contentType, text: Promise<string> }]. */
  const captures = [];
  const client = new Anthropic({ baseURL: `${gateway.url}/anthropic`, apiKey: 'test-client-key', fetch: teeingFetch((c) => captures.push(c)), maxRetries: 0, timeout: 30_000 });
  return {
    fake, gateway, client, captures,
    /** The raw text of the last SSE body the SDK read. */
    async lastRawStream() {
      if (captures.length === 0) throw new Error('no SSE response was captured');
      return captures.at(-1).text;
    },
    /** Runs fn with a reset fake; on failure the error names a temp file with the fake's requests and the gateway's output. */
    async withDump(label, fn) {
      fake.reset();
      try {
        return await fn();
      } catch (error) {
        error.message += `\n(details: ${this.dump(label)})`;
        throw error;
      }
    },
    /** Writes fake requests and gateway output to a temp file; returns its path. */
    dump(label) {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'switchyard-e2e-failure-'));
      const file = path.join(dir, `${label.replace(/[^a-z0-9]+/gi, '-')}.json`);
      writeFileSync(file, JSON.stringify({ fakeRequests: fake.requests, gatewayOutput: gateway.output() }, null, 2));
      return file;
    },
    async stop() {
      await gateway.stop();
      await fake.close();
    },
  };
}
