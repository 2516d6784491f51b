// Helpers for the API and browser tests: a fresh demo database with tokens,
// and `corridor serve` on a free loopback port, stopped with SIGTERM.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const BIN = process.env.CORRIDOR || 'build/asan/corridor';

export function cli(db, ...args) {
  return execFileSync(BIN, [...args, '--db', db], { encoding: 'utf8', env: { ...process.env, CORRIDOR_USER: 'tester' } });
}

// A demo database and one token per role; returns { dir, db, tokens }.
export function demoDatabase() {
  const dir = mkdtempSync(join(tmpdir(), 'corridor-test-'));
  const db = join(dir, 'test.db');
  cli(db, 'demo');
  const tokens = {};
  for (const [name, role] of [['admin-test', 'admin'], ['viewer-test', 'viewer'],
    ['ship-test', 'editor:shipments'], ['trade-test', 'editor:trade'],
    ['parties-test', 'editor:parties'], ['agr-test', 'editor:agreements'], ['inv-test', 'editor:invest'], ['lgx-test', 'editor:logistics'],
    ['cmt-test', 'editor:commitments'],
    ['revoked-test', 'admin']]) {
    tokens[name] = execFileSync(BIN, ['token', 'create', '--name', name, '--role', role, '--db', db],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  }
  cli(db, 'token', 'revoke', 'revoked-test');
  return { dir, db, tokens };
}

// Starts the server (bin: another build); resolves { url, proc, stop() } once it listens.
export function startServer(db, extra = [], listen = '127.0.0.1:0', bin = BIN) {
  return new Promise((resolve, reject) => {
    const proc = spawn(bin, ['serve', '--db', db, '--listen', listen, '--threads', '4',
      '--access-log', join(db + '.access.log'), ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '', stopping = false;
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/serving http:\/\/[^/]+:(\d+)\//);
      if (m) resolve({
        url: `http://127.0.0.1:${m[1]}`, proc, stderr: () => err,
        kill: () => { stopping = true; proc.kill('SIGKILL'); }, // a crash on purpose: no report
        stop: () => new Promise((res) => {
          stopping = true;
          proc.on('exit', (code) => res({ code, stderr: err }));
          proc.kill('SIGTERM');
        }),
      });
    });
    proc.stderr.on('data', (d) => { err += d; });
    proc.on('exit', (code, signal) => {
      // a server that dies under a test says why (a sanitizer's report)
      if (!stopping) process.stderr.write(`server exited ${code} ${signal || ''}:\n${err}\n`);
      reject(new Error(`server exited ${code}: ${err}`));
    });
    setTimeout(() => reject(new Error('server did not start: ' + err)), 15000).unref();
  });
}
