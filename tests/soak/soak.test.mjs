// Soak: a mixed workload (tests/soak/mixed.lua: reads anonymous and with a
// token, pages and API; one request in ten a write) driven by wrk for
// SOAK_SECONDS (20 by default; `make soak` runs 300) against the release
// build, then briefly against the sanitizer build. Asserts no error answer,
// every acknowledged write stored, memory flat after the warm-up (release
// build), and no leak at a clean stop (LeakSanitizer, sanitizer build). No
// timing is asserted; the figures are printed.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { demoDatabase, startServer } from '../lib/server.mjs';

const SECONDS = +(process.env.SOAK_SECONDS || 20);
const RELEASE = process.env.CORRIDOR_RELEASE || 'build/corridor';
const SANITIZED = process.env.CORRIDOR || 'build/asan/corridor';
let env;
before(() => { env = demoDatabase(); });

const rssKiB = (pid) => +readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)[1];
const sql = (db, q) => execFileSync('sqlite3', [db, q], { encoding: 'utf8' }).trim();

let runs = 0;
function wrk(url, secs, conns = 32) {
  runs++;
  return new Promise((resolve, reject) => {
    const p = spawn('wrk', ['-t2', `-c${conns}`, `-d${secs}s`, '-s', 'tests/soak/mixed.lua', url], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, RUN_TAG: String(runs), READ_TOKEN: env.tokens['viewer-test'], WRITE_TOKEN: env.tokens['parties-test'] },
    });
    let out = '';
    p.stdout.on('data', (d) => { out += d; });
    p.on('error', reject);
    p.on('exit', () => {
      const m = out.match(/WRITES (\d+) CREATED (\d+) STATUS(.*)/);
      if (!m) return reject(new Error('wrk said: ' + out));
      const statuses = Object.fromEntries(m[3].trim().split(/\s+/).filter(Boolean).map((x) => x.split(':').map(Number)));
      resolve({
        out, writes: +m[1], created: +m[2], statuses,
        requests: +(out.match(/(\d+) requests in/) || [0, 0])[1],
        socketErrors: out.match(/Socket errors: .*/)?.[0] || '',
        non2xx: +(out.match(/Non-2xx or 3xx responses: (\d+)/) || [0, 0])[1],
      });
    });
  });
}

async function soak(bin, secs, label) {
  const db = env.db;
  const before = +sql(db, "SELECT count(*) FROM party WHERE name LIKE 'Soak %'");
  const srv = await startServer(db, [], '127.0.0.1:0', bin);
  try {
    await wrk(srv.url + '/', Math.max(2, Math.round(secs / 5)), 32); // warm-up: every thread, cache and page
    const rss0 = rssKiB(srv.proc.pid);
    const r = await wrk(srv.url + '/', secs, 32);
    const rss1 = rssKiB(srv.proc.pid);
    const stored = +sql(db, "SELECT count(*) FROM party WHERE name LIKE 'Soak %'") - before;
    console.log(`${label}: ${r.requests} requests in ${secs} s (${r.writes} writes, ${r.created} answered 201), ` +
      `statuses ${JSON.stringify(r.statuses)}, ${r.socketErrors || 'no socket errors'}; ` +
      `memory ${Math.round(rss0 / 1024)} MiB after the warm-up, ${Math.round(rss1 / 1024)} MiB at the end`);
    assert.equal(r.non2xx, 0, `error answers: ${JSON.stringify(r.statuses)}`);
    assert.equal(r.socketErrors, '', r.socketErrors);
    assert.ok(r.created > 0 && r.requests > r.created, 'reads and writes both ran');
    assert.ok(stored >= r.created, `${r.created} writes answered 201, ${stored} stored`);
    return { rss0, rss1, srv };
  } catch (err) {
    await srv.stop();
    throw err;
  }
}

test(`a ${SECONDS} s mixed read and write load: no error, every acknowledged write stored, memory flat`, { timeout: (SECONDS * 3 + 60) * 1000 }, async () => {
  const { rss0, rss1, srv } = await soak(RELEASE, SECONDS, 'release build');
  const stopped = await srv.stop();
  assert.equal(stopped.code, 0, stopped.stderr);
  assert.ok(rss1 - rss0 < 24 * 1024, `memory grew ${rss1 - rss0} KiB after the warm-up`);
});

test('the same load briefly under AddressSanitizer: no error, and no leak reported at a clean stop', { timeout: 120000 }, async () => {
  const { srv } = await soak(SANITIZED, Math.min(SECONDS, 10), 'sanitizer build');
  const stopped = await srv.stop();
  assert.doesNotMatch(stopped.stderr, /LeakSanitizer|AddressSanitizer|runtime error/, stopped.stderr);
  assert.equal(stopped.code, 0, stopped.stderr);
});
