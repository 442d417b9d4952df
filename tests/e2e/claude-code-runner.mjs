// Runs the real Claude Code CLI (pinned in package.json) non-interactively against a gateway, in a throwaway home
// and working directory, as the e2e tests need it.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, realpathSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

const require = createRequire(import.meta.url);

/**
 * The command that runs the CLI. The package's bin (bin/claude.exe) is the native binary once its postinstall
 * has run; if the postinstall was skipped it is a small stub, and cli-wrapper.cjs finds the platform binary.
 */
export function claudeCommand() {
  const packageDir = path.dirname(require.resolve('@anthropic-ai/claude-code/package.json'));
  const bin = path.join(packageDir, 'bin', 'claude.exe');
  if (existsSync(bin) && statSync(bin).size > 1_000_000) return { command: bin, args: [] };
  return { command: process.execPath, args: [path.join(packageDir, 'cli-wrapper.cjs')] };
}

/** A Claude Code "machine": its own home (sessions, settings) and working directory, pointed at baseUrl. */
export function claudeSession(baseUrl) {
  const work = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'switchyard-e2e-cc-work-')));
  const home = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'switchyard-e2e-cc-home-')));
  const env = {
    PATH: process.env.PATH,
    HOME: home,
    USER: process.env.USER ?? 'e2e',
    TMPDIR: os.tmpdir(),
    LANG: 'C.UTF-8',
    TERM: 'dumb',
    IS_SANDBOX: '1',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    DISABLE_AUTOUPDATER: '1',
    DISABLE_TELEMETRY: '1',
    DISABLE_ERROR_REPORTING: '1',
    ANTHROPIC_BASE_URL: baseUrl,
    ANTHROPIC_AUTH_TOKEN: 'test',
  };
  const { command, args: prefix } = claudeCommand();
  return {
    work,
    home,
    /** Runs `claude <args>`; resolves with the exit code, stdout, stderr and whether it timed out. */
    run(args, timeoutMs = 120_000) {
      return new Promise((resolve) => {
        const child = spawn(command, [...prefix, ...args], { cwd: work, env, stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d) => { stdout += d; });
        child.stderr.on('data', (d) => { stderr += d; });
        let timedOut = false;
        const timer = setTimeout(() => {
          timedOut = true;
          child.kill('SIGTERM');
          setTimeout(() => child.kill('SIGKILL'), 5000).unref();
        }, timeoutMs);
        child.on('error', (error) => { stderr += `\nspawn error: ${error}`; });
        child.on('close', (code, signal) => {
          clearTimeout(timer);
          resolve({ code, signal, stdout, stderr, timedOut });
        });
      });
    },
  };
}

/** The JSON result line of `--output-format json`, or a failed assertion's message. */
export function resultOf(run) {
  try {
    return JSON.parse(run.stdout.trim().split('\n').at(-1));
  } catch {
    throw new Error(`stdout is not JSON: ${run.stdout.slice(0, 2000)}\nstderr: ${run.stderr.slice(0, 2000)}`);
  }
}
