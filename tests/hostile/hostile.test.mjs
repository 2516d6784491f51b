// Hostile clients against the real server (the sanitizer build): slow heads,
// floods past the connection limits, stalled uploads, oversized queries and
// headers, guessed credentials. Each test starts its own server with the
// limits it attacks, attacks from 127.0.0.1 and checks from 127.0.0.2 that
// the server still answers others. The deadlines here are liveness checks
// (an answer at all within seconds), not measurements.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { cli, demoDatabase, startServer } from '../lib/server.mjs';

let env;
before(() => { env = demoDatabase(); });

const portOf = (srv) => +new URL(srv.url).port;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const rssKiB = (srv) => +readFileSync(`/proc/${srv.proc.pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)[1];

// One raw request from a chosen local address; resolves { status, head, body,
// closed, ms } or { error } (refused, reset, or no answer within `wait` ms).
function raw(port, text, { from = '127.0.0.2', wait = 3000 } = {}) {
  const t0 = Date.now();
  return new Promise((resolve) => {
    const s = connect({ port, host: '127.0.0.1', localAddress: from });
    let got = '';
    const done = (v) => { s.destroy(); resolve({ ...v, ms: Date.now() - t0 }); };
    s.setTimeout(wait, () => done({ error: 'timeout' }));
    s.on('error', (e) => done({ error: e.code }));
    s.on('connect', () => s.write(text));
    s.on('data', (d) => { got += d; });
    s.on('end', () => {
      const [head, ...body] = got.split('\r\n\r\n');
      if (!head) return done({ error: 'closed without an answer' });
      done({ status: +head.split(' ')[1], head, body: body.join('\r\n\r\n'), closed: true });
    });
  });
}
const health = (port, from = '127.0.0.2') =>
  raw(port, 'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', { from });

// n connections from `from` that send a request line and then one header
// line a second, never finishing the head; returns { socks, answers, stop }.
function slowClients(port, n, from = '127.0.0.1') {
  const socks = [], answers = [];
  for (let i = 0; i < n; i++) {
    const s = connect({ port, host: '127.0.0.1', localAddress: from });
    s.on('error', () => {});
    let got = '';
    s.on('data', (d) => { got += d; });
    s.on('close', () => { s.gone = true; answers.push(got.split('\r\n')[0]); });
    s.on('connect', () => s.write('GET /healthz HTTP/1.1\r\nHost: x\r\n'));
    socks.push(s);
  }
  const timer = setInterval(() => { for (const s of socks) if (!s.gone) s.write('X-Slow: 1\r\n'); }, 1000);
  return { socks, answers, stop: () => { clearInterval(timer); for (const s of socks) s.destroy(); } };
}

test('1,100 slow clients from one address do not stop /healthz from another, and each late head is answered 408 and closed', async () => {
  const srv = await startServer(env.db, ['--head-timeout', '2', '--max-per-address', '128']);
  const port = portOf(srv);
  const slow = slowClients(port, 1100);
  try {
    await sleep(800);
    for (let i = 0; i < 3; i++) {
      const h = await health(port);
      assert.equal(h.status, 200, `healthz from 127.0.0.2 while 1,100 trickle: ${JSON.stringify(h)}`);
      await sleep(300);
    }
    // 128 admitted from 127.0.0.1, the other 972 closed at once
    const stats = JSON.parse((await health(port)).body).connections;
    assert.equal(stats.refused, 972, JSON.stringify(stats));
    // the admitted ones trickle a header a second: the 2 s head deadline ends them all
    for (let i = 0; i < 40 && slow.socks.some((s) => !s.gone); i++) await sleep(250);
    assert.equal(slow.socks.filter((s) => !s.gone).length, 0, 'every slow client was closed');
    assert.equal(slow.answers.filter((a) => a === 'HTTP/1.1 408 Request Timeout').length, 128);
    const after = JSON.parse((await health(port)).body).connections;
    assert.equal(after.timed_out, 128);
    assert.equal(after.open, 1, 'only the health check itself is open');
  } finally {
    slow.stop();
    await srv.stop();
  }
});

test('the per-address limit refuses the 129th connection from one address at once and admits another address', async () => {
  const srv = await startServer(env.db, ['--max-per-address', '128']);
  const port = portOf(srv);
  const idle = slowClients(port, 129);
  try {
    await sleep(800);
    const gone = idle.socks.filter((s) => s.gone).length;
    assert.equal(gone, 1, 'one of the 129 was closed');
    assert.equal((await health(port, '127.0.0.3')).status, 200);
  } finally {
    idle.stop();
    await srv.stop();
  }
});

// wrk with `conns` connections for `secs` seconds from 127.0.0.1; resolves its output
function wrk(url, conns, secs) {
  return new Promise((resolve, reject) => {
    const p = spawn('wrk', ['-t2', `-c${conns}`, `-d${secs}s`, url], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d) => { out += d; });
    p.on('error', reject);
    p.on('exit', () => resolve(out));
  });
}

test('a flood of 2,000 connections past a limit of 200 is refused early, and the server answers within a second of its end', async () => {
  const srv = await startServer(env.db, ['--max-connections', '200', '--max-per-address', '0']);
  const port = portOf(srv);
  try {
    const out = await wrk(`${srv.url}/healthz`, 2000, 3);
    assert.match(out, /requests in/, 'wrk ran');
    const ended = Date.now();
    let h;
    do h = await health(port); while (h.status !== 200 && Date.now() - ended < 1000);
    assert.equal(h.status, 200, `healthz within a second of the flood's end: ${JSON.stringify(h)}`);
    const stats = JSON.parse(h.body).connections;
    assert.ok(stats.refused > 0, 'connections past the limit were refused');
  } finally {
    await srv.stop();
  }
});

test('a flood from one address leaves others served throughout', async () => {
  const srv = await startServer(env.db, ['--max-per-address', '64']);
  const port = portOf(srv);
  try {
    const flood = wrk(`${srv.url}/healthz`, 1000, 3);
    await sleep(1000);
    const during = await health(port);
    assert.equal(during.status, 200, `healthz during the flood: ${JSON.stringify(during)}`);
    await flood;
  } finally {
    await srv.stop();
  }
});

// `n` connections that each announce a 64 MiB body to `path`, send `mib`
// MiB of it and stall; resolves when all are closed or after `ms`.
function stalledUploads(port, paths, n, mib, ms) {
  return Promise.all(Array.from({ length: n }, (_, i) => new Promise((resolve) => {
    const s = connect({ port, host: '127.0.0.1' });
    s.on('error', () => {});
    s.on('close', resolve);
    s.on('connect', async () => {
      s.write(`POST ${paths[i % paths.length]} HTTP/1.1\r\nHost: x\r\nContent-Type: text/csv\r\n` +
        `Content-Length: ${64 << 20}\r\n\r\n`);
      for (let k = 0; k < mib * 16 && !s.destroyed; k++) {
        if (!s.write(Buffer.alloc(64 << 10, 97))) await new Promise((r) => { s.once('drain', r); setTimeout(r, 100); });
      }
    });
    setTimeout(() => s.destroy(), ms);
  })));
}

test('stalled anonymous 64 MiB uploads are answered from their heads and leave memory flat', async () => {
  const srv = await startServer(env.db);
  const port = portOf(srv);
  const want = { '/healthz': 405, '/login': 413, '/api/v1/trade/import': 401, '/api/v1/shipments/declare': 401, '/nowhere': 404 };
  const paths = Object.keys(want);
  try {
    // each answered from its head, before any body byte is needed
    for (const path of paths) {
      const a = await raw(port, `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: text/csv\r\n` +
        `Content-Length: ${64 << 20}\r\n\r\n`, { from: '127.0.0.1' });
      assert.equal(a.status, want[path], `${path}: ${JSON.stringify(a)}`);
    }
    await stalledUploads(port, paths, 12, 4, 1500); // every thread has met one
    const before = rssKiB(srv);
    for (let round = 0; round < 2; round++) await stalledUploads(port, paths, 12, 4, 1500);
    const grown = rssKiB(srv) - before;
    // 24 uploads of 4 MiB each would be 96 MiB held
    assert.ok(grown < 16 * 1024, `the server grew ${grown} KiB for 24 stalled uploads`);
    assert.equal((await health(port)).status, 200);
  } finally {
    await srv.stop();
  }
});

test('bodies held at once are capped over all requests: past --max-memory-mb a writer is answered 503 with Retry-After', async () => {
  const srv = await startServer(env.db, ['--max-memory-mb', '1']);
  const port = portOf(srv);
  const head = (len) => `POST /api/v1/trade/import?format=native HTTP/1.1\r\nHost: x\r\n` +
    `Authorization: Bearer ${env.tokens['trade-test']}\r\nContent-Type: text/csv\r\nConnection: close\r\n` +
    `Content-Length: ${len}\r\n\r\n`;
  try {
    // one upload holds 700 KiB and stalls; a second of 700 KiB passes the 1 MiB cap
    const first = connect({ port, host: '127.0.0.1' });
    first.on('error', () => {});
    await new Promise((r) => first.on('connect', r));
    first.write(head(800 * 1024));
    first.write(Buffer.alloc(700 * 1024, 97));
    await sleep(500);
    const second = await raw(port, head(700 * 1024) + 'a'.repeat(700 * 1024), { from: '127.0.0.1' });
    assert.equal(second.status, 503, JSON.stringify(second).slice(0, 300));
    assert.match(second.head, /Retry-After: 1/i);
    assert.match(second.body, /holds as many request bodies/);
    first.destroy();
  } finally {
    await srv.stop();
  }
});

test('1,200 query arguments are answered 414 at once; huge or numerous headers 431', async () => {
  const srv = await startServer(env.db);
  const port = portOf(srv);
  try {
    const q = Array.from({ length: 1200 }, (_, i) => `a${i}=1`).join('&');
    const many = await raw(port, `GET /api/v1/trade/totals?${q} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
    assert.equal(many.status, 414, JSON.stringify(many));
    assert.match(many.body, /more than 64 arguments/);
    const page = await raw(port, `GET /trade?${q} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
    assert.equal(page.status, 414);
    // 64 arguments are still read (and refused by name, as unknown)
    const q64 = Array.from({ length: 64 }, (_, i) => `a${i}=1`).join('&');
    const some = await raw(port, `GET /api/v1/trade/totals?${q64} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
    assert.equal(some.status, 400);
    assert.match(some.body, /unknown parameter 'a0'/);
    const big = await raw(port, `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(70000)}\r\n\r\n`);
    assert.equal(big.status, 431);
    const lots = Array.from({ length: 3000 }, (_, i) => `X-${i}: b\r\n`).join('');
    assert.equal((await raw(port, `GET /healthz HTTP/1.1\r\nHost: x\r\n${lots}\r\n`)).status, 431);
    const cookies = Array.from({ length: 3000 }, (_, i) => `c${i}=1`).join('; ');
    assert.equal((await raw(port, `GET /healthz HTTP/1.1\r\nHost: x\r\nCookie: ${cookies}\r\n\r\n`)).status, 431);
    assert.equal((await health(port)).status, 200);
  } finally {
    await srv.stop();
  }
});

test('with --secure-cookies the session and language cookies are Secure; without, they are not', async () => {
  for (const secure of [true, false]) {
    const srv = await startServer(env.db, secure ? ['--secure-cookies'] : []);
    try {
      const login = await fetch(srv.url + '/login', {
        method: 'POST', redirect: 'manual', body: `token=${env.tokens['viewer-test']}`,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      });
      assert.equal(login.status, 303);
      const session = login.headers.get('set-cookie');
      assert.match(session, /^corridor_session=ses_[0-9a-f]{48}; HttpOnly; SameSite=Strict/);
      assert.equal(/; Secure/.test(session), secure, session);
      const lang = (await fetch(srv.url + '/?lang=ru')).headers.get('set-cookie');
      assert.match(lang, /^corridor_lang=ru;/);
      assert.equal(/; Secure/.test(lang), secure, lang);
    } finally {
      await srv.stop();
    }
  }
});

test('a body anyone may send (a sign-in) must arrive within the head deadline too: trickled, it is answered 408 and closed', async () => {
  const srv = await startServer(env.db, ['--head-timeout', '2']);
  const port = portOf(srv);
  try {
    const s = connect({ port, host: '127.0.0.1' });
    let got = '';
    s.on('data', (d) => { got += d; });
    const closed = new Promise((r) => s.on('close', r));
    s.on('error', () => {});
    await new Promise((r) => s.on('connect', r));
    s.write('POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 16000\r\n\r\n');
    const timer = setInterval(() => { if (!s.destroyed) s.write('a'); }, 300);
    await Promise.race([closed, sleep(8000)]);
    clearInterval(timer);
    assert.ok(s.destroyed || s.readableEnded, 'the trickling sign-in was closed');
    assert.match(got, /^HTTP\/1\.1 408 /);
    assert.equal(JSON.parse((await health(port)).body).connections.timed_out, 1);
  } finally {
    await srv.stop();
  }
});

test('guessing is counted per address exactly: a second address in the same slot does not reset the first one\'s count; a session guessing its current password is stopped too', async () => {
  const srv = await startServer(env.db);
  const port = portOf(srv);
  const login = (from, password) => raw(port, 'POST /login HTTP/1.1\r\nHost: x\r\nConnection: close\r\n' +
    'Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ' + `name=nobody&password=${password}`.length +
    `\r\n\r\nname=nobody&password=${password}`, { from });
  try {
    // 127.0.0.2 and 127.0.0.17 hash to one slot of the guard's table (FNV-1a mod 1024: 907)
    const seen = [];
    for (let i = 0; i < 12; i++) {
      seen.push((await login('127.0.0.2', `wrong-${i}`)).status);
      if (i % 3 === 0) await login('127.0.0.17', 'other');
    }
    assert.deepEqual(seen, [...Array(10).fill(401), 429, 429]);
    // a signed-in session from another address guesses its current password
    const pw = join(env.dir, 'guesser.txt');
    writeFileSync(pw, 'the right password\n');
    cli(env.db, 'user', 'add', '--name', 'guesser', '--role', 'viewer', '--password-file', pw);
    const signed = await fetch(srv.url + '/login', { method: 'POST', redirect: 'manual',
      body: 'name=guesser&password=the+right+password', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    assert.equal(signed.status, 303);
    const cookie = signed.headers.get('set-cookie').split(';')[0]; // from 127.0.0.1
    const page = await (await fetch(srv.url + '/account', { headers: { Cookie: cookie } })).text();
    const csrf = page.match(/name="csrf" value="([^"]+)"/)[1];
    const statuses = [];
    for (let i = 0; i < 11; i++) {
      const body = `csrf=${csrf}&current=guess-${i}&password=another+pass+22&again=another+pass+22`;
      statuses.push((await raw(port, `POST /account/password HTTP/1.1\r\nHost: x\r\nConnection: close\r\nCookie: ${cookie}\r\n` +
        `Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n${body}`, { from: '127.0.0.1' })).status);
    }
    assert.deepEqual(statuses, [...Array(10).fill(403), 429]);
  } finally {
    await srv.stop();
  }
});

test('a path with %00, two lengths, and a sign-in form from another site are refused', async () => {
  const srv = await startServer(env.db);
  const port = portOf(srv);
  try {
    const nul = await raw(port, 'GET /api/v1/parties/list%00x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    assert.equal(nul.status, 400);
    assert.match(nul.body, /NUL byte/);
    const two = await raw(port, 'POST /login HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 5\r\nContent-Length: 20\r\n\r\ntoken');
    assert.equal(two.status, 400);
    assert.match(two.body, /one Content-Length or one Transfer-Encoding/);
    const both = await raw(port, 'POST /login HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n');
    assert.equal(both.status, 400);
    const body = `token=${env.tokens['viewer-test']}`;
    const cross = await raw(port, `POST /login HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nOrigin: https://evil.example\r\nConnection: close\r\n` +
      `Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
    assert.equal(cross.status, 403);
    assert.doesNotMatch(cross.head, /Set-Cookie/i);
    const same = await raw(port, `POST /login HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nOrigin: http://127.0.0.1:${port}\r\nConnection: close\r\n` +
      `Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
    assert.equal(same.status, 303);
    const fetched = await raw(port, `POST /login HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nSec-Fetch-Site: cross-site\r\nConnection: close\r\n` +
      `Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
    assert.equal(fetched.status, 403);
  } finally {
    await srv.stop();
  }
});
