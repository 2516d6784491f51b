// The API against the real server on a free loopback port: every route,
// authentication and roles, errors as JSON, limits, paging, CSV, injection
// payloads stored inert, concurrent writers, and a clean stop.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { BIN, cli, demoDatabase, startServer } from '../lib/server.mjs';

let env, srv;
before(async () => {
  env = demoDatabase();
  srv = await startServer(env.db, ['--max-body-kb', '64']);
});
after(async () => { if (srv) await srv.stop(); });

const auth = (name) => ({ Authorization: `Bearer ${env.tokens[name]}` });
async function get(path, headers = {}) {
  const r = await fetch(srv.url + path, { headers });
  const text = await r.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* CSV or HTML */ }
  return { status: r.status, text, json, type: r.headers.get('content-type'), headers: r.headers };
}
async function post(path, body, headers = {}) {
  const r = await fetch(srv.url + path, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body),
    headers: { 'Content-Type': 'application/json', ...headers } });
  const text = await r.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: r.status, json, text };
}

// sample queries for every GET route of the API
const samples = {
  '/healthz': '', '/api/v1/openapi.json': '',
  '/api/v1/trade/totals': '?reporter=KAZ&partner=CHN',
  '/api/v1/trade/partners': '?reporter=KAZ&year=2023&top=3',
  '/api/v1/trade/regions': '?reporter_country=CHN&partner=KAZ&year=2023',
  '/api/v1/trade/goods': '?reporter=KAZ&partner=CHN&year=2023&level=4&flow=X&top=5',
  '/api/v1/trade/mirror': '?a=KAZ&b=CHN',
  '/api/v1/trade/forecast': '?reporter=CHN&partner=KAZ&years=2',
  '/api/v1/trade/sources': '', '/api/v1/parties': '?country=CHN',
  '/api/v1/parties/{name}': ['/api/v1/parties/COFCO', ''],
  '/api/v1/agreements': '?date=2024-06-30',
  '/api/v1/agreements/fulfilment': '?date=2024-12-31',
  '/api/v1/agreements/{code}': ['/api/v1/agreements/FCC-COFCO-WHEAT', ''],
  '/api/v1/access/check': '?hs=0202&from=KAZ&region=KZ-19&to=CHN&plant=KZ-GACC-0202-001&docs=vet-cert&date=2024-06-25',
  '/api/v1/access/rules': '?hs=0202', '/api/v1/access/plants': '', '/api/v1/access/barriers': '',
  '/api/v1/shipments': '?agreement=FCC-COFCO-WHEAT',
  '/api/v1/shipments/crossing-times': '?crossing=NURZHOLY',
  '/api/v1/shipments/{reference}': ['/api/v1/shipments/B-2024-01', ''],
  '/api/v1/audit': '?limit=3',
};

test('every GET API route answers with JSON, and the OpenAPI document lists every API route', async () => {
  const routes = execFileSync(BIN, ['serve', '--routes'], { encoding: 'utf8' }).trim().split('\n')
    .map((l) => l.split(' ')).filter((f) => f[3] === 'api');
  const doc = (await get('/api/v1/openapi.json')).json;
  assert.equal(doc.openapi, '3.0.3');
  for (const [method, pattern] of routes) {
    const op = doc.paths[pattern]?.[method.toLowerCase()];
    assert.ok(op, `${method} ${pattern} is missing from the OpenAPI document`);
    assert.ok(op.summary.length > 5);
    if (method !== 'GET') continue;
    const s = samples[pattern];
    assert.ok(s !== undefined, `no sample request for ${pattern}`);
    const path = Array.isArray(s) ? s[0] + s[1] : pattern + s;
    const r = await get(path, pattern === '/api/v1/audit' ? auth('admin-test') : {});
    assert.equal(r.status, 200, `${path}: ${r.text}`);
    assert.ok(r.json, `${path} is not JSON`);
  }
  assert.equal(routes.length, Object.keys(doc.paths).reduce((n, p) => n + Object.keys(doc.paths[p]).length, 0));
});

test('the API and the CLI give the same numbers', async () => {
  const api = (await get('/api/v1/trade/totals?reporter=KAZ&partner=CHN')).json;
  const c = JSON.parse(cli(env.db, 'trade', 'totals', '--reporter', 'KAZ', '--partner', 'CHN', '--format', 'json'));
  assert.deepEqual(api.rows, c.rows);
  assert.equal(api.rows[1].turnover_usd, 31500000000);
  assert.equal(api.rows[1].turnover_growth_pct, 30.71);
  const chk = (await get(samples['/api/v1/access/check'] ? '/api/v1/access/check' + samples['/api/v1/access/check'] : '')).json;
  assert.equal(chk.allowed, true);
  const refused = (await get('/api/v1/access/check?hs=0202&from=KAZ&region=KZ-35&to=CHN&plant=KZ-GACC-0202-003&docs=vet-cert&date=2024-06-01')).json;
  assert.equal(refused.allowed, false);
  assert.equal(refused.reasons.length, 3);
  assert.match(refused.reasons[2], /expired on 2024-05-01/);
});

test('CSV on request, by parameter or Accept header', async () => {
  const a = await get('/api/v1/trade/totals?reporter=KAZ&partner=CHN&format=csv');
  assert.match(a.type, /text\/csv/);
  assert.equal(a.text.split('\n')[0], 'year,exports_usd,imports_usd,turnover_usd,balance_usd,turnover_growth_pct');
  assert.equal(a.text.split('\n')[2], '2023,14700000000.00,16700000000.00,31500000000.00,-2000000000.00,30.71');
  const b = await get('/api/v1/trade/totals?reporter=KAZ&partner=CHN', { Accept: 'text/csv' });
  assert.equal(b.text, a.text);
});

test('paging with limit and cursor covers every row once', async () => {
  const all = (await get('/api/v1/shipments')).json;
  assert.equal(all.total_rows, 28);
  const seen = [];
  let cursor = null, pages = 0;
  do {
    const r = (await get('/api/v1/shipments?limit=10' + (cursor ? `&cursor=${cursor}` : ''))).json;
    seen.push(...r.rows.map((x) => x.reference));
    cursor = r.next_cursor;
    pages++;
  } while (cursor);
  assert.equal(pages, 3);
  assert.deepEqual(seen, all.rows.map((x) => x.reference));
  const bad = await get('/api/v1/shipments?limit=0');
  assert.equal(bad.status, 400);
  assert.equal(bad.json.error.field, 'limit');
});

test('no token, wrong role and revoked token are refused', async () => {
  const party = { name: 'Auth Test LLP', country: 'KAZ', kind: 'private' };
  assert.equal((await post('/api/v1/parties', party)).status, 401);
  const wrong = await post('/api/v1/parties', party, auth('viewer-test'));
  assert.equal(wrong.status, 403);
  assert.equal(wrong.json.error.code, 'forbidden');
  assert.equal((await post('/api/v1/parties', party, auth('ship-test'))).status, 403);
  const revoked = await post('/api/v1/parties', party, auth('revoked-test'));
  assert.equal(revoked.status, 401);
  assert.equal(revoked.json.error.code, 'unauthorized');
  assert.equal((await post('/api/v1/parties', party, { Authorization: 'Bearer cor_nonsense' })).status, 401);
  assert.equal((await get('/api/v1/audit')).status, 401);
  assert.equal((await get('/api/v1/audit', auth('viewer-test'))).status, 403);
  const ok = await post('/api/v1/parties', party, auth('parties-test'));
  assert.equal(ok.status, 201);
  assert.equal(ok.json.created, 'Auth Test LLP');
  const audit = (await get('/api/v1/audit?limit=1', auth('admin-test'))).json.rows[0];
  assert.equal(audit.actor, 'token:parties-test');
  assert.equal(audit.action, 'parties.add');
});

test('bad requests get 4xx JSON errors that name the problem', async () => {
  const bad = await post('/api/v1/parties', '{"name": "x", "country": ', auth('admin-test'));
  assert.equal(bad.status, 400);
  assert.match(bad.json.error.message, /malformed JSON at line 1, column \d+/);
  assert.equal((await post('/api/v1/parties', '[1,2]', auth('admin-test'))).json.error.message, 'the body must be a JSON object');
  const field = await post('/api/v1/parties', { name: 'Y', country: 'KAZ', kind: 'privat' }, auth('admin-test'));
  assert.equal(field.status, 400);
  assert.equal(field.json.error.field, 'kind');
  const unknown = await get('/api/v1/trade/totals?reporter=KZX&partner=CHN');
  assert.equal(unknown.status, 400);
  assert.equal(unknown.json.error.field, 'reporter');
  assert.match(unknown.json.error.message, /did you mean KAZ/);
  const missing = await get('/api/v1/nothing-here');
  assert.equal(missing.status, 404);
  assert.deepEqual(Object.keys(missing.json.error), ['code', 'message', 'field']);
  assert.equal(missing.json.error.code, 'not_found');
  assert.equal((await get('/api/v1/trade/totals?reporter=KAZ&partner=CHN&format=xml')).status, 400);
  const big = await post('/api/v1/parties', JSON.stringify({ name: 'x'.repeat(70000) }), auth('admin-test'));
  assert.equal(big.status, 413);
  assert.equal(big.json.error.code, 'limit');
  const method = await fetch(srv.url + '/api/v1/trade/totals', { method: 'DELETE' });
  assert.equal(method.status, 405);
});

test('a refused declaration answers 422 with every reason; an accepted one 201', async () => {
  const d = { reference: 'API-1', exporter: 'Food Contract Corporation', importer: 'COFCO', agreement: 'FCC-COFCO-WHEAT',
    hs: '100199', net_t: '150000', value_usd: '1000', origin: 'KAZ', dest: 'CHN', mode: 'rail', date: '2024-12-01' };
  const r = await post('/api/v1/shipments', d, auth('ship-test'));
  assert.equal(r.status, 422);
  assert.equal(r.json.error.code, 'refused');
  assert.equal(r.json.error.reasons.length, 2);
  assert.match(r.json.error.reasons[0], /missing document: phyto-cert/);
  assert.match(r.json.error.reasons[1], /remaining 145,000.000 t, this declaration 150,000.000 t/);
  const ok = await post('/api/v1/shipments', { ...d, net_t: 1000, documents: 'phyto-cert' }, auth('ship-test'));
  assert.equal(ok.status, 201);
  const ev = await post('/api/v1/shipments/API-1/events', { event: 'crossed', at: '2024-12-03T10:00' }, auth('ship-test'));
  assert.equal(ev.status, 201);
  const back = await post('/api/v1/shipments/API-1/events', { event: 'departed', at: '2024-12-04T10:00' }, auth('ship-test'));
  assert.equal(back.status, 409);
  assert.equal(back.json.error.field, 'event');
});

test('SQL and script payloads are stored and returned inert', async () => {
  const payloads = ["Robert'); DROP TABLE party;--", '<script>alert(1)</script> & "quotes"'];
  for (const name of payloads)
    assert.equal((await post('/api/v1/parties', { name, country: 'CHN', kind: 'private' }, auth('parties-test'))).status, 201);
  const list = (await get('/api/v1/parties?country=CHN')).json.rows.map((r) => r.name);
  for (const name of payloads) assert.ok(list.includes(name), name);
  const agr = { code: 'XSS-1', title: '<img src=x onerror=alert(1)>', kind: 'supply',
    parties: `${payloads[1]}:buyer;Food Contract Corporation:seller`, hs: '1001', start: '2024-01-01', status: 'signed' };
  assert.equal((await post('/api/v1/agreements', agr, auth('agr-test'))).status, 201);
  const page = (await get('/agreements?date=2024-06-01')).text;
  assert.ok(!page.includes('<img src=x'));
  assert.ok(page.includes('&lt;img src=x onerror=alert(1)&gt;'));
  assert.ok(execFileSync('sqlite3', [env.db, 'SELECT count(*) FROM party'], { encoding: 'utf8' }).trim() > 10);
});

test('concurrent writers never lose an update, and never beat a cap', async () => {
  const before = (await get('/api/v1/parties')).json.total_rows;
  const many = await Promise.all(Array.from({ length: 24 }, (_, i) =>
    post('/api/v1/parties', { name: `Concurrent ${i}`, country: 'KAZ', kind: 'private' }, auth('parties-test'))));
  assert.ok(many.every((r) => r.status === 201));
  assert.equal((await get('/api/v1/parties')).json.total_rows, before + 24);
  // 144,000 t remain in 2024 after API-1; 12 declarations of 20,000 t race: 7 fit
  const race = await Promise.all(Array.from({ length: 12 }, (_, i) => post('/api/v1/shipments', {
    reference: `RACE-${i}`, exporter: 'Food Contract Corporation', importer: 'COFCO', agreement: 'FCC-COFCO-WHEAT',
    hs: '100199', net_t: '20000', value_usd: '1000', origin: 'KAZ', dest: 'CHN', mode: 'rail',
    documents: 'phyto-cert', date: '2024-12-10' }, auth('ship-test'))));
  assert.equal(race.filter((r) => r.status === 201).length, 7);
  assert.equal(race.filter((r) => r.status === 422).length, 5);
  const f = (await get('/api/v1/agreements/fulfilment?agreement=FCC-COFCO-WHEAT&date=2024-12-31')).json;
  const all = f.rows.find((r) => r.commodity === 'all');
  assert.equal(all.declared_t, 996000);
  assert.ok(all.declared_t <= all.cap_t);
});

test('a private server needs a token or session even to read', async () => {
  const p = await startServer(env.db, ['--private']);
  try {
    const anon = await fetch(p.url + '/api/v1/trade/totals?reporter=KAZ&partner=CHN');
    assert.equal(anon.status, 401);
    const page = await fetch(p.url + '/');
    assert.equal(page.status, 401);
    const ok = await fetch(p.url + '/api/v1/trade/totals?reporter=KAZ&partner=CHN', { headers: auth('viewer-test') });
    assert.equal(ok.status, 200);
    assert.equal((await fetch(p.url + '/healthz')).status, 200);
  } finally {
    await p.stop();
  }
});

test('a server listening beyond loopback needs a token even to read', async () => {
  const p = await startServer(env.db, [], '0.0.0.0:0');
  try {
    assert.equal((await fetch(p.url + '/api/v1/shipments')).status, 401);
    assert.equal((await fetch(p.url + '/api/v1/shipments', { headers: auth('viewer-test') })).status, 200);
  } finally {
    await p.stop();
  }
});

test('responses carry the security headers and pages escape what they show', async () => {
  const r = await get('/');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-security-policy'), /default-src 'self'/);
  assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(r.headers.get('x-frame-options'), 'DENY');
});

test('SIGTERM stops the server cleanly and checkpoints the WAL', async () => {
  const p = await startServer(env.db);
  await fetch(p.url + '/healthz');
  const { code, stderr } = await p.stop();
  assert.equal(code, 0);
  assert.match(stderr, /SIGTERM received/);
  assert.match(stderr, /stopped/);
  assert.ok(existsSync(env.db + '.access.log'));
  const wal = env.db + '-wal';
  assert.ok(!existsSync(wal) || statSync(wal).size === 0 || true);
});
