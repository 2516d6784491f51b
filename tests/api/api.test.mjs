// The API against the real server on a free loopback port: every route the
// operation table generates, authentication and roles, errors as JSON that
// name the parameter, unknown fields and wrong types refused, money exact,
// limits, paging, CSV, the cache that cannot be poisoned, injection
// payloads stored inert, concurrent writers, and a clean stop.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { connect } from 'node:net';
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
async function post(path, body, headers = {}, type = 'application/json') {
  const r = await fetch(srv.url + path, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body),
    headers: { 'Content-Type': type, ...headers } });
  const text = await r.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: r.status, json, text };
}

// sample queries for every GET route of the API
const samples = {
  '/healthz': '', '/api/v1/openapi.json': '', '/api/v1/overview': '?year=2023',
  '/api/v1/db/check': '', '/api/v1/audit/list': '?limit=3',
  '/api/v1/ref/countries': '', '/api/v1/ref/regions': '?country=KAZ', '/api/v1/ref/hs': '?prefix=0201',
  '/api/v1/ref/resolve': '?code=CN-65',
  '/api/v1/trade/totals': '?reporter=KAZ&partner=CHN',
  '/api/v1/trade/partners': '?reporter=KAZ&year=2023&top=3',
  '/api/v1/trade/regions': '?reporter_country=CHN&partner=KAZ&year=2023',
  '/api/v1/trade/goods': '?reporter=KAZ&partner=CHN&year=2023&level=4&flow=X&top=5',
  '/api/v1/trade/mirror': '?a=KAZ&b=CHN',
  '/api/v1/trade/forecast': '?reporter=CHN&partner=KAZ&years=2',
  '/api/v1/trade/sources': '', '/api/v1/parties/list': '?country=CHN',
  '/api/v1/parties/show': '?name=COFCO',
  '/api/v1/agreements/list': '?date=2024-06-30',
  '/api/v1/agreements/fulfilment': '?date=2024-12-31',
  '/api/v1/agreements/show': '?code=FCC-COFCO-WHEAT',
  '/api/v1/access/check': '?hs=0202&from=KAZ&region=KZ-19&to=CHN&plant=KZ-GACC-0202-001&docs=vet-cert&date=2024-06-25',
  '/api/v1/access/rules': '?hs=0202', '/api/v1/access/plants': '', '/api/v1/access/barriers': '',
  '/api/v1/shipments/list': '?agreement=FCC-COFCO-WHEAT',
  '/api/v1/shipments/crossing-times': '?crossing=NURZHOLY',
  '/api/v1/shipments/show': '?reference=B-2024-01',
  '/api/v1/invest/list': '?host=KAZ&stage=signed', '/api/v1/invest/show': '?code=KZ-JP-01',
  '/api/v1/invest/totals': '?by=origin&host=KAZ', '/api/v1/invest/funnel': '?host=KAZ',
  '/api/v1/invest/durations': '', '/api/v1/invest/largest': '?top=3',
  '/api/v1/invest/stalled': '?days=365', '/api/v1/invest/figures': '', '/api/v1/invest/sectors': '',
  '/api/v1/logistics/queue': '?lambda=2&mu=3&servers=2',
  '/api/v1/logistics/simulate': '?lambda=2&mu=3&servers=2&hours=1000&reps=3&threads=1',
  '/api/v1/logistics/nodes': '', '/api/v1/logistics/links': '', '/api/v1/logistics/demand': '',
  '/api/v1/logistics/assign': '?year=2026', '/api/v1/logistics/unserved': '?year=2026',
  '/api/v1/logistics/sweep': '?from=2024&to=2025&scenarios=2',
  '/api/v1/logistics/indicators': '?year=2024', '/api/v1/logistics/projects': '',
  '/api/v1/logistics/timeline': '?year=2024&horizon=2026',
  '/api/v1/tourism/list': '?from=CHN', '/api/v1/tourism/monthly': '?from=CHN&to=KAZ',
  '/api/v1/tourism/yearly': '', '/api/v1/tourism/crossings': '?year=2024',
  '/api/v1/tourism/compare': '?from=CHN&to=KAZ&policy_date=2023-11-10&months=12',
  '/api/v1/commitments/report': '?date=2026-11-27', '/api/v1/commitments/list': '?meeting=URUMQI-2024',
  '/api/v1/commitments/meetings': '', '/api/v1/commitments/indicators': '',
  '/api/v1/alerts': '?date=2024-12-31',
};

test('every GET route answers with JSON, and the OpenAPI document lists every route with typed parameters', async () => {
  const routes = execFileSync(BIN, ['serve', '--routes'], { encoding: 'utf8' }).trim().split('\n')
    .map((l) => l.split(' ')).filter((f) => f[3] === 'api');
  const doc = (await get('/api/v1/openapi.json')).json;
  assert.equal(doc.openapi, '3.0.3');
  for (const [method, pattern, role] of routes) {
    const op = doc.paths[pattern]?.[method.toLowerCase()];
    assert.ok(op, `${method} ${pattern} is missing from the OpenAPI document`);
    assert.ok(op.summary.length > 5);
    if (method !== 'GET') continue;
    const s = samples[pattern];
    assert.ok(s !== undefined, `no sample request for ${pattern}`);
    const r = await get(pattern + s, role === 'admin' ? auth('admin-test') : {});
    assert.equal(r.status, 200, `${pattern}${s}: ${r.text}`);
    assert.ok(r.json, `${pattern} is not JSON`);
  }
  assert.equal(routes.length, Object.keys(doc.paths).reduce((n, p) => n + Object.keys(doc.paths[p]).length, 0));
  // typed: a year is an integer with bounds, an enum lists its values, a write's body refuses extra fields
  const totals = doc.paths['/api/v1/trade/totals'].get.parameters;
  assert.deepEqual(totals.find((p) => p.name === 'from').schema, { type: 'integer', minimum: 1900, maximum: 2200 });
  assert.equal(totals.find((p) => p.name === 'reporter').required, true);
  const goods = doc.paths['/api/v1/trade/goods'].get.parameters;
  assert.deepEqual(goods.find((p) => p.name === 'level').schema.enum, ['2', '4', '6']);
  const body = doc.paths['/api/v1/agreements/add'].post.requestBody.content['application/json'].schema;
  assert.equal(body.additionalProperties, false);
  assert.ok(body.required.includes('parties'));
  assert.equal(body.properties.start.format, 'date');
  assert.equal(doc.paths['/api/v1/access/import-rules'].post.requestBody.content['text/csv'] !== undefined, true);
  // command-line-only operations have no route
  assert.equal(doc.paths['/api/v1/token/create'], undefined);
  assert.equal((await post('/api/v1/token/create', { name: 'x', role: 'admin' }, auth('admin-test'))).status, 404);
});

test('the API and the CLI give the same numbers, money as exact decimal strings', async () => {
  const api = (await get('/api/v1/trade/totals?reporter=KAZ&partner=CHN')).json;
  const c = JSON.parse(cli(env.db, 'trade', 'totals', '--reporter', 'KAZ', '--partner', 'CHN', '--format', 'json'));
  assert.deepEqual(api.rows, c.rows);
  assert.equal(api.rows[1].turnover_usd, '31500000000.00');
  assert.equal(api.rows[1].turnover_growth_pct, 30.71);
  const chk = (await get('/api/v1/access/check' + samples['/api/v1/access/check'])).json;
  assert.equal(chk.allowed, true);
  assert.deepEqual(chk.reasons, []);
  const refused = (await get('/api/v1/access/check?hs=0202&from=KAZ&region=KZ-35&to=CHN&plant=KZ-GACC-0202-003&docs=vet-cert&date=2024-06-01')).json;
  assert.equal(refused.allowed, false);
  assert.equal(refused.reasons.length, 3);
  assert.match(refused.reasons[2], /expired on 2024-05-01/);
  assert.equal(refused.tables[0].rows.length, 3);
});

test('CSV on request, by parameter or Accept header', async () => {
  const a = await get('/api/v1/trade/totals?reporter=KAZ&partner=CHN&format=csv');
  assert.match(a.type, /text\/csv/);
  // the named columns first, then what every row is about
  assert.equal(a.text.split('\n')[0], 'year,exports_usd,imports_usd,turnover_usd,balance_usd,turnover_growth_pct,reporter,partner');
  assert.equal(a.text.split('\n')[2], '2023,14700000000.00,16700000000.00,31500000000.00,-2000000000.00,30.71,KAZ,CHN');
  const b = await get('/api/v1/trade/totals?reporter=KAZ&partner=CHN', { Accept: 'text/csv' });
  assert.equal(b.text, a.text);
});

test('paging with limit and cursor covers every row once', async () => {
  const all = (await get('/api/v1/shipments/list')).json;
  assert.equal(all.total_rows, 28);
  const seen = [];
  let cursor = null, pages = 0;
  do {
    const r = (await get('/api/v1/shipments/list?limit=10' + (cursor ? `&cursor=${cursor}` : ''))).json;
    seen.push(...r.rows.map((x) => x.reference));
    cursor = r.next_cursor;
    pages++;
  } while (cursor);
  assert.equal(pages, 3);
  assert.deepEqual(seen, all.rows.map((x) => x.reference));
  const bad = await get('/api/v1/shipments/list?limit=0');
  assert.equal(bad.status, 400);
  assert.equal(bad.json.error.field, 'limit');
});

test('no token, wrong role and revoked token are refused', async () => {
  const party = { name: 'Auth Test LLP', country: 'KAZ', kind: 'private' };
  assert.equal((await post('/api/v1/parties/add', party)).status, 401);
  const wrong = await post('/api/v1/parties/add', party, auth('viewer-test'));
  assert.equal(wrong.status, 403);
  assert.equal(wrong.json.error.code, 'forbidden');
  assert.equal((await post('/api/v1/parties/add', party, auth('ship-test'))).status, 403);
  const revoked = await post('/api/v1/parties/add', party, auth('revoked-test'));
  assert.equal(revoked.status, 401);
  assert.equal(revoked.json.error.code, 'unauthorized');
  assert.equal((await post('/api/v1/parties/add', party, { Authorization: 'Bearer cor_nonsense' })).status, 401);
  assert.equal((await get('/api/v1/audit/list')).status, 401);
  assert.equal((await get('/api/v1/audit/list', auth('viewer-test'))).status, 403);
  const ok = await post('/api/v1/parties/add', party, auth('parties-test'));
  assert.equal(ok.status, 201);
  assert.equal(ok.json.id, 'Auth Test LLP');
  assert.equal(ok.json.action, 'parties.add');
  const audit = (await get('/api/v1/audit/list?limit=1', auth('admin-test'))).json.rows[0];
  assert.equal(audit.actor, 'token:parties-test');
  assert.equal(audit.action, 'parties.add');
});

test('bad requests get 4xx JSON errors that name the problem', async () => {
  const bad = await post('/api/v1/parties/add', '{"name": "x", "country": ', auth('admin-test'));
  assert.equal(bad.status, 400);
  assert.match(bad.json.error.message, /malformed JSON at line 1, column \d+/);
  assert.equal((await post('/api/v1/parties/add', '[1,2]', auth('admin-test'))).json.error.message, 'the body must be a JSON object');
  const field = await post('/api/v1/parties/add', { name: 'Y', country: 'KAZ', kind: 'privat' }, auth('admin-test'));
  assert.equal(field.status, 400);
  assert.equal(field.json.error.field, 'kind');
  // an unknown country is the same error on every front end: invalid input, naming the parameter
  const unknown = await get('/api/v1/trade/totals?reporter=KZX&partner=CHN');
  assert.equal(unknown.status, 400);
  assert.equal(unknown.json.error.code, 'invalid_input');
  assert.equal(unknown.json.error.field, 'reporter');
  assert.match(unknown.json.error.message, /did you mean KAZ/);
  const missing = await get('/api/v1/nothing-here');
  assert.equal(missing.status, 404);
  assert.deepEqual(Object.keys(missing.json.error), ['code', 'message', 'field']);
  assert.equal(missing.json.error.code, 'not_found');
  assert.equal((await get('/api/v1/trade/totals?reporter=KAZ&partner=CHN&format=xml')).status, 400);
  const big = await post('/api/v1/parties/add', JSON.stringify({ name: 'x'.repeat(70000) }), auth('admin-test'));
  assert.equal(big.status, 413);
  assert.equal(big.json.error.code, 'limit');
  const method = await fetch(srv.url + '/api/v1/trade/totals', { method: 'DELETE' });
  assert.equal(method.status, 405);
  // query parameters: unknown, or given twice
  const extra = await get('/api/v1/trade/totals?reporter=KAZ&partner=CHN&frob=1');
  assert.equal(extra.status, 400);
  assert.equal(extra.json.error.field, 'frob');
  const twice = await get('/api/v1/trade/totals?reporter=KAZ&partner=CHN&partner=KAZ');
  assert.equal(twice.status, 400);
  assert.match(twice.json.error.message, /given twice/);
  const nul = await get('/api/v1/parties/show?name=COFCO%00junk');
  assert.equal(nul.status, 400);
  assert.match(nul.json.error.message, /NUL byte/);
  const date = await get('/api/v1/agreements/list?date=garbage');
  assert.equal(date.status, 400);
  assert.equal(date.json.error.field, 'date');
});

test('unknown JSON fields and values of the wrong type are refused, naming them', async () => {
  const agr = { code: 'NOCAP', title: 'T', kind: 'supply', parties: 'COFCO:buyer;Sinograin:seller',
    hs: '1001', start: '2025-01-01', status: 'signed' };
  const typo = await post('/api/v1/agreements/add', { ...agr, cap_tonnes: 1000 }, auth('agr-test'));
  assert.equal(typo.status, 400);
  assert.equal(typo.json.error.field, 'cap_tonnes');
  assert.match(typo.json.error.message, /unknown field 'cap_tonnes'/);
  const array = await post('/api/v1/agreements/add', { ...agr, title: ['T'] }, auth('agr-test'));
  assert.equal(array.status, 400);
  assert.equal(array.json.error.field, 'title');
  assert.match(array.json.error.message, /must be a string, not an array/);
  const object = await post('/api/v1/agreements/add', { ...agr, cap_t: { t: 1 } }, auth('agr-test'));
  assert.equal(object.status, 400);
  assert.equal(object.json.error.field, 'cap_t');
  const hsnum = await post('/api/v1/agreements/add', { ...agr, hs: 1001 }, auth('agr-test'));
  assert.equal(hsnum.status, 400);
  assert.equal(hsnum.json.error.field, 'hs');
  assert.equal((await get('/api/v1/agreements/show?code=NOCAP')).status, 404); /* nothing stored */
  // a list may be an array of strings
  const ok = await post('/api/v1/agreements/add', { ...agr, hs: ['1001', '1003'], cap_t: 1000 }, auth('agr-test'));
  assert.equal(ok.status, 201, ok.text);
  const terms = (await get('/api/v1/agreements/show?code=NOCAP')).json.rows[0];
  assert.equal(terms.hs, '1001,1003');
  assert.equal(terms.cap_t, '1000.000');
});

test('money sent as a JSON number is read from its digits, and comes back exactly', async () => {
  // as a double this is 1234567.895, which rounds to .90; its digits say .89
  const d = '{"reference":"EXACT-1","exporter":"Food Contract Corporation","importer":"COFCO",' +
    '"hs":"100199","net_t":1000.000001,"value_usd":1234567.894999999999,"origin":"KAZ","dest":"CHN",' +
    '"mode":"rail","documents":"phyto-cert","date":"2024-05-02"}';
  const r = await post('/api/v1/shipments/declare', d, auth('ship-test'));
  assert.equal(r.status, 201, r.text);
  const row = (await get('/api/v1/shipments/list?from=2024-05-02&to=2024-05-02')).json.rows
    .find((x) => x.reference === 'EXACT-1');
  assert.equal(row.value_usd, '1234567.89');
  assert.equal(row.net_t, '1000.000001');
  const csv = cli(env.db, 'shipments', 'list', '--from', '2024-05-02', '--to', '2024-05-02', '--format', 'csv');
  assert.match(csv, /EXACT-1,2024-05-02,declared,,100199,1000\.000001,1234567\.89,/);
});

test('a refused declaration answers 422 with every reason; an accepted one 201', async () => {
  const d = { reference: 'API-1', exporter: 'Food Contract Corporation', importer: 'COFCO', agreement: 'FCC-COFCO-WHEAT',
    hs: '100199', net_t: '150000', value_usd: '1000', origin: 'KAZ', dest: 'CHN', mode: 'rail', date: '2024-12-01' };
  const r = await post('/api/v1/shipments/declare', d, auth('ship-test'));
  assert.equal(r.status, 422);
  assert.equal(r.json.error.code, 'refused');
  assert.equal(r.json.error.reasons.length, 2);
  assert.match(r.json.error.reasons[0], /missing document: phyto-cert/);
  assert.match(r.json.error.reasons[1], /remaining 145,000 t, this declaration 150,000 t/);
  const dry = await post('/api/v1/shipments/declare?dry_run=1', { ...d, net_t: 1000, documents: 'phyto-cert' }, auth('ship-test'));
  assert.equal(dry.status, 200);
  assert.equal(dry.json.dry_run, true);
  assert.equal((await get('/api/v1/shipments/show?reference=API-1')).status, 404);
  const ok = await post('/api/v1/shipments/declare', { ...d, net_t: 1000, documents: 'phyto-cert' }, auth('ship-test'));
  assert.equal(ok.status, 201);
  assert.equal(ok.json.message, 'shipment API-1 declared');
  const ev = await post('/api/v1/shipments/event', { reference: 'api-1', event: 'crossed', at: '2024-12-03T10:00' }, auth('ship-test'));
  assert.equal(ev.status, 201, ev.text);
  const back = await post('/api/v1/shipments/event', { reference: 'API-1', event: 'departed', at: '2024-12-04T10:00' }, auth('ship-test'));
  assert.equal(back.status, 409);
  assert.equal(back.json.error.field, 'event');
});

test('a CSV import: all or nothing, or the good rows with the rejected ones returned', async () => {
  const csv = 'name,country,kind\nCSV One,KAZ,private\nCSV Two,XXX,private\n';
  const all = await post('/api/v1/parties/import', csv, auth('parties-test'), 'text/csv');
  assert.equal(all.status, 400);
  assert.match(all.json.error.message, /unknown country 'XXX'.*\(line 3, column 2\)/);
  assert.equal((await get('/api/v1/parties/show?name=CSV%20One')).status, 404);
  const skip = await post('/api/v1/parties/import?skip_bad=1', csv, auth('parties-test'), 'text/csv');
  assert.equal(skip.status, 201, skip.text);
  assert.deepEqual(skip.json.stats, { read: 2, stored: 1, rejected: 1 });
  assert.match(skip.json.rejects_csv, /^line,column,field,reason,name,country,kind\n3,2,country,/);
  assert.equal((await get('/api/v1/parties/show?name=CSV%20One')).status, 200);
  // a bare ?dry_run is a dry run, never a write
  const bare = await post('/api/v1/parties/import?dry_run', 'name,country,kind\nDry Co,KAZ,private\n', auth('parties-test'), 'text/csv');
  assert.equal(bare.status, 200, bare.text);
  assert.equal(bare.json.dry_run, true);
  assert.equal((await get('/api/v1/parties/show?name=Dry%20Co')).status, 404);
  // the rows set aside are bounded: past them the whole import is refused
  const many = 'name,country,kind\n' + Array.from({ length: 1200 }, (_, i) => `Bad ${i},XXX,private`).join('\n') + '\n';
  const flood = await post('/api/v1/parties/import?skip_bad=1', many, auth('parties-test'), 'text/csv');
  assert.equal(flood.status, 413);
  assert.match(flood.json.error.message, /more than 1000 rows refused: nothing was imported/);
  const cols = await post('/api/v1/parties/import', 'name,country,kind,country\nA,KAZ,private,KAZ\n', auth('parties-test'), 'text/csv');
  assert.equal(cols.status, 400);
  assert.match(cols.json.error.message, /names column 'country' twice/);
});

test('trade files in every shape over the API: plus JSON stored exactly, a refused answer names why', async () => {
  const { readFileSync } = await import('node:fs');
  const data = new URL('../data/', import.meta.url);
  const json = readFileSync(new URL('plus-api.json', data), 'utf8');
  const ok = await post('/api/v1/trade/import', json, auth('trade-test'), 'application/json');
  assert.equal(ok.status, 201, ok.text);
  assert.equal(ok.json.stats.read, 8);
  assert.equal(ok.json.stats.stored, 8);
  // 2023-02: X 1750000000.5 and M 1200000000 as JSON numbers, back exactly
  const m = await get('/api/v1/trade/totals?reporter=CHN&partner=KAZ&monthly=yes&from=2023');
  assert.equal(m.status, 200, m.text);
  const feb = m.json.rows.find((r) => r.year === 2023 && r.month === 2);
  assert.deepEqual([feb.exports_usd, feb.imports_usd, feb.turnover_usd], ['1750000000.50', '1200000000.00', '2950000000.50']);
  assert.equal(feb.reporter, 'CHN');
  const err = readFileSync(new URL('plus-api-error.json', data), 'utf8');
  const bad = await post('/api/v1/trade/import', err, auth('trade-test'), 'application/json');
  assert.equal(bad.status, 400);
  assert.match(bad.json.error.message, /reports an error: Invalid subscription key/);
  // a Latin-1 web download, sent as it is
  const web = readFileSync(new URL('plus-web.csv', data));
  const w = await fetch(srv.url + '/api/v1/trade/import?dry_run=1', { method: 'POST', body: web,
    headers: { 'Content-Type': 'text/csv', ...auth('trade-test') } });
  const wj = await w.json();
  assert.equal(w.status, 200, JSON.stringify(wj));
  assert.equal(wj.stats.breakdown_dropped, 1);
  assert.equal(wj.stats.stored, 12);
});

test('a body is not read before its sender is known: no token, a 401 while the body is still owed', async () => {
  const http = await import('node:http');
  const u = new URL(srv.url);
  const status = await new Promise((resolve, reject) => {
    const req = http.request({ host: u.hostname, port: u.port, method: 'POST', path: '/api/v1/trade/import',
      headers: { 'Content-Type': 'text/csv', 'Content-Length': String(60 * 1024) } }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('error', (e) => (e.code === 'ECONNRESET' || e.code === 'EPIPE' ? resolve('reset') : reject(e)));
    req.write('x'); // one byte of the promised 60 KiB, then nothing
    setTimeout(() => reject(new Error('no answer while the body was owed')), 5000).unref();
  });
  assert.equal(status, 401);
});

// Sends the headers and part of a body, runs between(), then the rest.
async function slowPost(path, headers, body, between) {
  const http = await import('node:http');
  const u = new URL(srv.url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: u.hostname, port: u.port, method: 'POST', path,
      headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) } }, (res) => {
      let text = '';
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode, text }));
    });
    req.on('error', reject);
    req.write(body.slice(0, 10));
    setTimeout(() => { between(); req.end(body.slice(10)); }, 300);
  });
}

test('a token revoked while its body was coming is refused; GET bodies and big public bodies are not read', async () => {
  const t = execFileSync(BIN, ['token', 'create', '--name', 'revoke-me', '--role', 'editor:trade', '--db', env.db],
    { encoding: 'utf8' }).trim();
  const csv = 'reporterCode,partnerCode,refYear,flowCode,cmdCode,primaryValue\n398,156,2011,X,TOTAL,1\n';
  const r = await slowPost('/api/v1/trade/import', { Authorization: `Bearer ${t}`, 'Content-Type': 'text/csv' }, csv,
    () => execFileSync(BIN, ['token', 'revoke', 'revoke-me', '--db', env.db]));
  assert.equal(r.status, 401, r.text);
  assert.equal(execFileSync('sqlite3', [env.db, 'SELECT count(*) FROM trade_flow WHERE year = 2011'], { encoding: 'utf8' }).trim(), '0');
  const http = await import('node:http');
  const u = new URL(srv.url);
  const early = (method, path, length) => new Promise((resolve, reject) => {
    const req = http.request({ host: u.hostname, port: u.port, method, path,
      headers: { 'Content-Length': String(length), 'Content-Type': 'text/plain' } }, (res) => { res.resume(); resolve(res.statusCode); });
    req.on('error', (e) => (e.code === 'ECONNRESET' || e.code === 'EPIPE' ? resolve('reset') : reject(e)));
    req.write('x');
    setTimeout(() => reject(new Error(`${method} ${path}: no answer while the body was owed`)), 5000).unref();
  });
  assert.equal(await early('GET', '/api/v1/trade/sources', 60 * 1024), 400);
  assert.equal(await early('POST', '/login', 60 * 1024), 413);
});

test('a refusal quoting text cut mid-character still answers its reason as JSON', async () => {
  const body = 'source,reporter,reporter_region,partner,year,month,flow,hs,value_usd,net_kg,qty,qty_unit\n' +
    'S,KAZ,,CHN,2020,,X,x' + 'а'.repeat(20) + ',1,,,\n';
  const r = await post('/api/v1/trade/import', body, auth('trade-test'), 'text/csv');
  assert.equal(r.status, 400, r.text);
  assert.match(r.json.error.message, /is not an HS code/);
  assert.equal(r.json.error.field, 'hs');
});

test('trade files over the API: a form upload is refused with what to do; a body can be named; an API answer without records says why', async () => {
  const { readFileSync } = await import('node:fs');
  const data = new URL('../data/', import.meta.url);
  const form = new FormData();
  form.append('file', new Blob([readFileSync(new URL('plus-tobacco.csv', data))]), 'plus-tobacco.csv');
  const f = await fetch(srv.url + '/api/v1/trade/import', { method: 'POST', body: form, headers: auth('trade-test') });
  const fj = await f.json();
  assert.equal(f.status, 400);
  assert.match(fj.error.message, /--data-binary/);
  // BACI sent as a body, named as downloaded: edition H5 and release V202401 come from the name
  const baci = readFileSync(new URL('BACI_HS17_Y2022_V202401.csv', data), 'utf8');
  const b = await post('/api/v1/trade/import?filename=BACI_HS17_Y2022_V202401.csv', baci, auth('trade-test'), 'text/csv');
  assert.equal(b.status, 201, b.text);
  const g = await get('/api/v1/trade/goods?reporter=KAZ&partner=USA&year=2022&level=6&flow=X&source=CEPII%20BACI%20V202401');
  assert.equal(g.status, 200, g.text);
  assert.equal(g.json.rows[0].value_usd, '10000.00'); // 10 thousand US$
  assert.ok(g.json.notes.includes('HS edition: H5 (HS 2017).'), JSON.stringify(g.json.notes));
  const key = await post('/api/v1/trade/import', '{"statusCode":401,"message":"Access denied due to invalid subscription key."}',
    auth('trade-test'), 'application/json');
  assert.equal(key.status, 400);
  assert.match(key.json.error.message, /reports an error: Access denied due to invalid subscription key/);
});

test('the cache key is built from decoded parameters: an encoded & cannot poison another query', async () => {
  // one parameter whose value holds "&from=2023", then the two parameters it spells
  const poison = await get('/api/v1/trade/totals?reporter=KAZ&partner=CHN&source=Kazinform%202024-06%26from%3D2023');
  assert.equal(poison.status, 200);
  assert.equal(poison.json.total_rows, 0);
  const real = await get('/api/v1/trade/totals?reporter=KAZ&partner=CHN&source=Kazinform%202024-06&from=2023');
  assert.equal(real.json.total_rows, 1, 'the real query was answered from the poisoned entry');
  assert.equal(real.json.rows[0].turnover_usd, '31500000000.00');
  const reordered = await get('/api/v1/trade/totals?from=2023&source=Kazinform%202024-06&partner=CHN&reporter=KAZ');
  assert.deepEqual(reordered.json.rows, real.json.rows);
});

test('SQL and script payloads are stored and returned inert', async () => {
  const payloads = ["Robert'); DROP TABLE party;--", '<script>alert(1)</script> & "quotes"'];
  for (const name of payloads)
    assert.equal((await post('/api/v1/parties/add', { name, country: 'CHN', kind: 'private' }, auth('parties-test'))).status, 201);
  const list = (await get('/api/v1/parties/list?country=CHN')).json.rows.map((r) => r.name);
  for (const name of payloads) assert.ok(list.includes(name), name);
  const agr = { code: 'XSS-1', title: '<img src=x onerror=alert(1)>', kind: 'supply',
    parties: `${payloads[1]}:buyer;Food Contract Corporation:seller`, hs: '1001', start: '2024-01-01', status: 'signed' };
  assert.equal((await post('/api/v1/agreements/add', agr, auth('agr-test'))).status, 201);
  const page = (await get('/agreements?date=2024-06-01')).text;
  assert.ok(!page.includes('<img src=x'));
  assert.ok(page.includes('&lt;img src=x onerror=alert(1)&gt;'));
  assert.ok(execFileSync('sqlite3', [env.db, 'SELECT count(*) FROM party'], { encoding: 'utf8' }).trim() > 10);
});

test('concurrent writers never lose an update, and never beat a cap', async () => {
  const before = (await get('/api/v1/parties/list')).json.total_rows;
  const many = await Promise.all(Array.from({ length: 24 }, (_, i) =>
    post('/api/v1/parties/add', { name: `Concurrent ${i}`, country: 'KAZ', kind: 'private' }, auth('parties-test'))));
  assert.ok(many.every((r) => r.status === 201));
  assert.equal((await get('/api/v1/parties/list')).json.total_rows, before + 24);
  // 144,000 t remain in 2024 after API-1; 12 declarations of 20,000 t race: 7 fit
  const race = await Promise.all(Array.from({ length: 12 }, (_, i) => post('/api/v1/shipments/declare', {
    reference: `RACE-${i}`, exporter: 'Food Contract Corporation', importer: 'COFCO', agreement: 'FCC-COFCO-WHEAT',
    hs: '100199', net_t: '20000', value_usd: '1000', origin: 'KAZ', dest: 'CHN', mode: 'rail',
    documents: 'phyto-cert', date: '2024-12-10' }, auth('ship-test'))));
  assert.equal(race.filter((r) => r.status === 201).length, 7);
  assert.equal(race.filter((r) => r.status === 422).length, 5);
  const f = (await get('/api/v1/agreements/fulfilment?agreement=FCC-COFCO-WHEAT&date=2024-12-31')).json;
  const all = f.rows.find((r) => r.commodity === 'all');
  assert.equal(all.declared_t, '996000.000');
  assert.equal(all.cap_t, '1000000.000');
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
    assert.equal((await fetch(p.url + '/api/v1/shipments/list')).status, 401);
    assert.equal((await fetch(p.url + '/api/v1/shipments/list', { headers: auth('viewer-test') })).status, 200);
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

test('SIGTERM stops the server cleanly and truncates the write-ahead log', async () => {
  const own = demoDatabase();
  const p = await startServer(own.db);
  const w = await fetch(p.url + '/api/v1/parties/add', { method: 'POST', headers: { ...{ Authorization: `Bearer ${own.tokens['parties-test']}` }, 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: 'WAL Test LLP', country: 'KAZ', kind: 'private' }) });
  assert.equal(w.status, 201);
  const wal = own.db + '-wal';
  assert.ok(existsSync(wal) && statSync(wal).size > 0, 'the write went to the write-ahead log');
  const { code, stderr } = await p.stop();
  assert.equal(code, 0);
  assert.match(stderr, /SIGTERM received/);
  assert.match(stderr, /stopped/);
  assert.ok(existsSync(own.db + '.access.log'));
  assert.ok(!existsSync(wal) || statSync(wal).size === 0, `the write-ahead log holds ${existsSync(wal) ? statSync(wal).size : 0} bytes`);
  assert.match(execFileSync('sqlite3', [own.db, "SELECT name FROM party WHERE name = 'WAL Test LLP'"], { encoding: 'utf8' }), /WAL Test LLP/);
});

test('investment: the tracker workbook as a body, the API and the CLI agree, a stage jump refused with the moves allowed', async () => {
  const { readFileSync } = await import('node:fs');
  const xlsx = readFileSync(new URL('../data/invest/aei-tracker.xlsx', import.meta.url));
  const send = (path, who) => fetch(srv.url + path, { method: 'POST', body: xlsx, headers: {
    'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', ...auth(who) } });
  assert.equal((await send('/api/v1/invest/import?filename=aei-tracker.xlsx', 'viewer-test')).status, 403);
  assert.equal((await send('/api/v1/invest/import?filename=aei-tracker.xlsx', 'trade-test')).status, 403);
  const dry = await send('/api/v1/invest/import?filename=aei-tracker.xlsx&dry_run=1', 'inv-test');
  assert.equal(dry.status, 200, await dry.text());
  assert.equal((await get('/api/v1/invest/totals?by=origin&host=UZB')).json.rows.length, 0);
  const r = await send('/api/v1/invest/import?filename=aei-tracker.xlsx', 'inv-test');
  const j = await r.json();
  assert.equal(r.status, 201, JSON.stringify(j));
  assert.match(JSON.stringify(j), /aei-tracker\.xlsx \(aei\): read 8 rows, stored 8 \(8 new/);
  // State Grid's 450 m in Uzbekistan is the one investment there (Dataset 1)
  const uzb = (await get('/api/v1/invest/totals?by=origin&host=UZB')).json;
  assert.deepEqual(uzb.rows, [{ origin: 'CHN China', amount_usd: '450000000.00', projects: 1, jobs: null }]);
  const api = (await get('/api/v1/invest/totals?by=sector&host=KAZ')).json;
  const c = JSON.parse(cli(env.db, 'invest', 'totals', '--by', 'sector', '--host', 'KAZ', '--format', 'json'));
  assert.deepEqual(api.rows, c.rows);
  // construction contracts are never in the investment totals
  const cons = (await get('/api/v1/invest/totals?by=year&kind=construction&host=KAZ')).json.rows;
  assert.ok(cons.some((row) => row.year === 2018 && row.amount_usd === '600000000.00'));
  const first = (await get('/api/v1/invest/list?stage=announced&host=KAZ')).json.rows[0].code;
  const jump = await post('/api/v1/invest/stage', { code: first, to: 'commissioned', date: '2026-01-05' }, auth('inv-test'));
  assert.ok(jump.status >= 400 && jump.status < 500, jump.text);
  assert.equal(jump.json.error.field, 'to');
  assert.match(jump.json.error.message, /may move to signed, stalled or cancelled/);
  const bad = await post('/api/v1/invest/import?format=aiddata', 'not,a,tracker\n1,2,3\n', auth('inv-test'), 'text/csv');
  assert.equal(bad.status, 400, bad.text);
  assert.match(bad.json.error.message, /no header found/);
});

test('tourism: the visa-free comparison over the API from the demo months, a missing month named, writes need the tourism role', async () => {
  // the demo's Chinese visitors (tools/make-demo-tourism.py): December 2023
  // to November 2024 against December 2022 to November 2023
  const c = (await get('/api/v1/tourism/compare?from=CHN&to=KAZ&policy_date=2023-11-10&months=12&format=json')).json.rows;
  const before = c.find((r) => r.window === 'before'), after = c.find((r) => r.window === 'after');
  assert.equal(before.start, '2022-12');
  assert.equal(after.end, '2024-11');
  assert.equal(before.months, 12);
  assert.ok(Math.abs(after.change_pct - 100 * (after.visitors - before.visitors) / before.visitors) < 0.05);
  // the demo's months end in June 2025: a window into July has no total
  const late = (await get('/api/v1/tourism/compare?from=CHN&to=KAZ&policy_date=2024-12-15&months=7&format=json')).json.rows;
  const a2 = late.find((r) => r.window === 'after');
  assert.equal(a2.visitors, null);
  assert.equal(a2.missing, '2025-07');
  const row = { year: 2025, month: 7, from: 'CHN', to: 'KAZ', visitors: 1000, source: 'api test' };
  assert.equal((await post('/api/v1/tourism/add', row, auth('lgx-test'))).status, 403);
  const bad = await get('/api/v1/tourism/compare?from=CHN&to=KAZ&policy_date=2024-02-30');
  assert.equal(bad.status, 400);
  assert.equal(bad.json.error.field, 'policy_date');
});

test('commitments: the demo meeting measured from the other areas as on a date, overdue first; writes need the commitments role', async () => {
  // by hand from the demo files: beef delivered after the meeting (2024-06-25):
  // B-2024-01..B-2025-06, 20 + 80 + 40 + 120 + 40 + 80 = 380 t of 1,000;
  // Chinese visitors in 2024 (published) 655,000 against 600,000; China's
  // customs turnover for 2024 US$ 43.82 bn: (43.82 - 41) / (45 - 41) = 70.5%;
  // the 3 Mt agreement in force from 2025-01-01 (level 2)
  const rows = (await get('/api/v1/commitments/report?date=2026-11-27&format=json')).json.rows;
  const by = Object.fromEntries(rows.map((r) => [r.code, r]));
  // amounts come as exact decimal strings in each row's unit
  assert.equal(by['URQ-BEEF'].value, '380.000000');
  assert.equal(by['URQ-BEEF'].flag, 'overdue');
  assert.equal(by['URQ-TOURISM'].value, '655000');
  assert.equal(by['URQ-TOURISM'].flag, 'met');
  assert.equal(by['URQ-TRADE'].value, '43820000000.00');
  assert.equal(by['URQ-TRADE'].progress_pct, 70.5);
  assert.equal(by['URQ-TRADE'].value_at, '2024-12-31');
  assert.equal(by['URQ-GRAIN-AGREEMENT'].value, '2');
  const order = ['overdue', 'at risk', 'no data', 'incomplete', 'on track', 'met', 'done', 'dropped'];
  for (let i = 1; i < rows.length; i++) assert.ok(order.indexOf(rows[i - 1].flag) <= order.indexOf(rows[i].flag));
  // on 2024-12-31 the agreement was still proposed: level 0, 181 days to go
  const early = (await get('/api/v1/commitments/report?date=2024-12-31&format=json')).json.rows;
  const agr = early.find((r) => r.code === 'URQ-GRAIN-AGREEMENT');
  assert.equal(agr.value, '0');
  assert.equal(agr.flag, 'on track');
  // a commitment added over the API: 380 of 400 t after 885 days of 919:
  // 380 x 919 / 885 = 394.6 t by the due date, short: at risk
  const c = { code: 'API-BEEF', meeting: 'URUMQI-2024', text: 'api', owner: 'o', due: '2026-12-31',
    indicator: 'beef_exports_t', target: 400 };
  assert.equal((await post('/api/v1/commitments/add', c, auth('lgx-test'))).status, 403);
  const ok = await post('/api/v1/commitments/add', c, auth('cmt-test'));
  assert.equal(ok.status, 201, ok.text);
  const mine = (await get('/api/v1/commitments/report?date=2026-11-27&meeting=URUMQI-2024&format=json')).json.rows
    .find((r) => r.code === 'API-BEEF');
  assert.equal(mine.flag, 'at risk');
  assert.equal(mine.projected, 394.6);
  const bad = await post('/api/v1/commitments/add', { ...c, code: 'API-2', target: undefined }, auth('cmt-test'));
  assert.equal(bad.status, 400, bad.text);
  assert.equal(bad.json.error.field, 'target');
  assert.equal((await get('/api/v1/commitments/report?meeting=NOPE')).status, 404);
  // the trade commitment's pace runs from the end of 2023, the year its
  // baseline stands for: on 2025-03-01 the 2024 figure (366 days on) projects
  // 41 + 2.82 x 731 / 366 = US$ 46.63 bn by 2025-12-31, past the 45 bn target
  const march = (await get('/api/v1/commitments/report?date=2025-03-01&format=json')).json.rows;
  const trade = march.find((r) => r.code === 'URQ-TRADE');
  assert.ok(Math.abs(trade.projected - (41e9 + 2.82e9 * 731 / 366)) < 1e6, String(trade.projected));
  assert.equal(trade.flag, 'on track');
  // meetings not yet held promise nothing
  assert.equal((await get('/api/v1/commitments/report?date=2024-06-24&format=json')).json.rows.length, 0);
  // the brief for one meeting as on a date
  const brief = await get('/brief?date=2025-03-01&meeting=URUMQI-2024');
  assert.equal(brief.status, 200);
  assert.match(brief.text, /9 commitments as on <time>2025-03-01<\/time>/); // the 8 and API-BEEF
});

test('logistics: the M/M/c formulas over the API, exact at the check values; no steady state is a 4xx naming lambda', async () => {
  const q = (await get('/api/v1/logistics/queue?lambda=2&mu=3&servers=2')).json;
  const lq = q.rows.find((r) => r.metric === 'lq').value;
  assert.ok(Math.abs(lq - 1 / 12) < 1e-6, String(lq));
  const bad = await get('/api/v1/logistics/queue?lambda=6&mu=1&servers=3');
  assert.equal(bad.status, 400);
  assert.equal(bad.json.error.field, 'lambda');
  // writes to the network need the logistics editor's role
  const node = { code: 'API-NODE', name: 'API node', country: 'KAZ', kind: 'terminal' };
  assert.equal((await post('/api/v1/logistics/node-add', node, auth('viewer-test'))).status, 403);
  assert.equal((await post('/api/v1/logistics/node-add', node, auth('inv-test'))).status, 403);
  const ok = await post('/api/v1/logistics/node-add', node, auth('lgx-test'));
  assert.equal(ok.status, 201, ok.text);
  const y2024 = (await get('/api/v1/logistics/assign?year=2024&format=json')).json.rows;
  assert.equal(y2024.find((r) => r.link === 'DOSTYK-ALASHANKOU').capacity_t, 20000000);
  // Dostyk in 2024: the single track from Aktogay (12 train pairs a day of
  // 3,000 t: 12 x 3,000 x 365 = 13.14 Mt a year) runs full and saturates the crossing, whose own link (20 Mt)
  // carries what it brings: 65.7%
  const tl = (await get('/api/v1/logistics/timeline?year=2024&horizon=2024')).json.rows;
  const dostyk = tl.find((r) => r.crossing === 'DOSTYK-RAIL');
  assert.equal(dostyk.flow_t, 13140000);
  assert.equal(dostyk.fullest_link, 'AKTOGAY-DOSTYK');
  assert.equal(dostyk.fullest_pct, 100);
  assert.equal(dostyk.utilisation_pct, 65.7);
  // a simulation as CSV is its figures (the queue series stays in the JSON)
  const sim = await get('/api/v1/logistics/simulate?lambda=5&mu=1&servers=6&hours=100&reps=2&threads=1&format=csv');
  assert.equal(sim.status, 200);
  assert.match(sim.type, /text\/csv/);
  assert.match(sim.text, /^metric,mean,ci95_low,ci95_high/);
  // a scenario written over several lines is read, its errors placed by line
  const scen = encodeURIComponent('{"demand":\n  {"scale_pct": 50}}');
  assert.equal((await get('/api/v1/logistics/assign?year=2026&scenario=' + scen)).status, 200);
  const broken = await get('/api/v1/logistics/assign?year=2026&scenario=' + encodeURIComponent('{"demand":\n {"scale_pct": }}'));
  assert.equal(broken.status, 400);
  assert.match(broken.json.error.message, /line 2/);
  // a page's queue value that is refused is a 400 page, and the server stays up
  const page = await get('/logistics?lambda=7');
  assert.equal(page.status, 200, page.text);
  assert.match(page.text, /The queue cannot be simulated \(lambda\): no steady state/);
  assert.match(page.text, /chart-network/); // the rest of the page stands
  assert.equal((await get('/healthz')).status, 200);
  const big = await get('/api/v1/logistics/simulate?lambda=1000&mu=1&servers=2000&hours=1000000&reps=2');
  assert.equal(big.status, 400);
  assert.equal(big.json.error.field, 'hours');
});

test('the API answers in English unless ?lang= asks, and refuses a language it does not have', async () => {
  const path = '/api/v1/invest/totals?by=origin&host=KAZ&format=json';
  // a browser's Accept-Language and the pages' cookie do not change machine answers
  const plain = await get(path, { 'Accept-Language': 'zh-CN,zh;q=0.9', Cookie: 'corridor_lang=ru' });
  assert.equal(plain.status, 200);
  const origins = plain.json.rows.map((r) => r.origin);
  assert.ok(origins.includes('HKG Hong Kong'), JSON.stringify(origins));
  assert.equal(plain.headers.get('set-cookie'), null);
  // ?lang= asks for the reader's names (data/ref/place-names.csv: HKG zh 中国香港)
  const zh = await get(path + '&lang=zh');
  assert.ok(zh.json.rows.map((r) => r.origin).includes('HKG 中国香港'));
  assert.equal(zh.headers.get('set-cookie'), null);
  const bad = await get(path + '&lang=tlh');
  assert.equal(bad.status, 400);
  assert.equal(bad.json.error.field, 'lang');
  assert.match(bad.json.error.message, /unknown language 'tlh'/);
});

test('pages and forms read their input as strictly as the API: no NUL byte, no name given twice', async () => {
  for (const q of ['/agreements?date=2024-01-01&date=2024-02-02', '/agreements?date=2024-01-01%00x',
    '/access?hs=0202&hs=0201']) {
    const r = await get(q);
    assert.equal(r.status, 400, q);
  }
  // a valid token with a NUL and more after it does not sign in
  const token = env.tokens['ship-test'];
  const login = (body) => fetch(srv.url + '/login', { method: 'POST', body, redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
  for (const body of [`token=${token}%00anything`, `token=${token}&token=${token}`]) {
    const r = await login(body);
    assert.equal(r.status, 400, body.slice(-20));
    assert.equal(r.headers.get('set-cookie'), null);
  }
  const ok = await login(`token=${token}`);
  assert.equal(ok.status, 303);
  assert.match(ok.headers.get('set-cookie'), /corridor_session=/);
});

test('HTTP/1.1 without Host is a 400; a 405 says what the path allows; signed answers are never stored', async () => {
  const raw = (text) => new Promise((resolve, reject) => {
    const u = new URL(srv.url);
    const sock = connect(+u.port, u.hostname, () => sock.end(text));
    let got = '';
    sock.on('data', (d) => { got += d; });
    sock.on('end', () => resolve(got));
    sock.on('error', reject);
  });
  assert.match(await raw('GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n'), /^HTTP\/1\.1 400 /);
  assert.match(await raw('GET /healthz HTTP/1.0\r\n\r\n'), /^HTTP\/1\.[01] 200 /);
  const del = await fetch(srv.url + '/agreements', { method: 'DELETE' });
  assert.equal(del.status, 405);
  assert.equal(del.headers.get('allow'), 'GET, HEAD');
  const wrong = await fetch(srv.url + '/api/v1/shipments/declare');
  assert.equal(wrong.status, 405);
  assert.equal(wrong.headers.get('allow'), 'POST');
  // a token's read: no-store, where the same anonymous read may be kept
  const signed = await get('/api/v1/agreements/list', auth('ship-test'));
  assert.equal(signed.status, 200);
  assert.equal(signed.headers.get('cache-control'), 'no-store');
});

test('guessing tokens from one address is stopped: 10 failures a minute, then 429 with Retry-After', async () => {
  const own = await startServer(env.db); // its own count of failures
  try {
    const bad = { Authorization: 'Bearer ' + 'x'.repeat(43) };
    for (let i = 0; i < 10; i++)
      assert.equal((await fetch(own.url + '/api/v1/agreements/list', { headers: bad })).status, 401);
    const stopped = await fetch(own.url + '/api/v1/agreements/list', { headers: bad });
    assert.equal(stopped.status, 429);
    const wait = Number(stopped.headers.get('retry-after'));
    assert.ok(wait >= 1 && wait <= 60, String(wait));
    // the address waits whatever it sends: a right token, a sign-in
    assert.equal((await fetch(own.url + '/api/v1/agreements/list', { headers: auth('ship-test') })).status, 429);
    const login = await fetch(own.url + '/login', { method: 'POST', redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'token=' + env.tokens['ship-test'] });
    assert.equal(login.status, 429);
    // reading without credentials goes on
    assert.equal((await fetch(own.url + '/healthz')).status, 200);
    assert.equal((await fetch(own.url + '/api/v1/agreements/list')).status, 200);
  } finally {
    await own.stop();
  }
});

test('signing in again ends the session the browser had', async () => {
  const login = (cookie, csrf) => fetch(srv.url + '/login', { method: 'POST', redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...(cookie ? { Cookie: cookie } : {}) },
    body: 'token=' + env.tokens['ship-test'] + (csrf ? '&csrf=' + csrf : '') });
  const session = (r) => r.headers.get('set-cookie').match(/corridor_session=[^;]+/)[0];
  const first = session(await login());
  // the sign-in form of a signed-in browser carries its CSRF token
  const form = await (await fetch(srv.url + '/login', { headers: { Cookie: first } })).text();
  const csrf = form.match(/name="csrf" value="([^"]+)"/)[1];
  const second = session(await login(first, csrf));
  assert.notEqual(first, second);
  const who = async (cookie) => (await (await fetch(srv.url + '/glossary', { headers: { Cookie: cookie } })).text())
    .includes('Signed in as');
  assert.equal(await who(second), true);
  assert.equal(await who(first), false);
});

test('signed-in reads share the cache only after the gate: a cached admin answer is never served to a viewer, a stranger or a revoked token', async () => {
  const url = '/api/v1/audit/list?limit=2';
  const own = execFileSync(BIN, ['token', 'create', '--name', 'cache-admin', '--role', 'admin', '--db', env.db],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  const first = await get(url, { Authorization: `Bearer ${own}` });
  assert.equal(first.status, 200);
  assert.equal(first.headers.get('cache-control'), 'no-store');
  // the same bytes again, from the cache of whichever thread answers
  for (let i = 0; i < 8; i++) {
    const again = await get(url, { Authorization: `Bearer ${own}` });
    assert.equal(again.status, 200);
    assert.equal(again.text, first.text);
    assert.equal(again.headers.get('cache-control'), 'no-store');
  }
  for (let i = 0; i < 8; i++) {
    assert.equal((await get(url)).status, 401, 'anonymous');
    assert.equal((await get(url, auth('viewer-test'))).status, 403, 'a viewer');
  }
  // a viewer's cached read is the anonymous one's, and both see a write at once
  const a = await get('/api/v1/parties/list?country=KAZ', auth('viewer-test'));
  assert.equal(a.status, 200);
  assert.equal(a.headers.get('cache-control'), 'no-store');
  const made = await post('/api/v1/parties/add', { name: 'Cache Check LLP', country: 'KAZ', kind: 'private' }, auth('parties-test'));
  assert.equal(made.status, 201, made.text);
  for (let i = 0; i < 8; i++) {
    assert.match((await get('/api/v1/parties/list?country=KAZ', auth('viewer-test'))).text, /Cache Check LLP/);
    assert.match((await get('/api/v1/parties/list?country=KAZ')).text, /Cache Check LLP/);
  }
  cli(env.db, 'token', 'revoke', 'cache-admin');
  // refused (401, or 429 once this address has failed ten times in a minute), never the cached 200
  for (let i = 0; i < 8; i++) {
    const r = await get(url, { Authorization: `Bearer ${own}` });
    assert.ok(r.status === 401 || r.status === 429, `revoked: ${r.status}`);
    assert.notEqual(r.text, first.text);
  }
});

test('a signed-in reader\'s pages are cached under their own session: each session sees its own name and CSRF token, an ended session nothing', async () => {
  const srv = await startServer(env.db); // its own: the sign-in guard of the shared one may be spent
  try {
  const signIn = async (token) => {
    const r = await fetch(srv.url + '/login', { method: 'POST', redirect: 'manual', body: `token=${token}`,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    assert.equal(r.status, 303);
    return r.headers.get('set-cookie').split(';')[0];
  };
  const page = async (cookie) => {
    const r = await fetch(srv.url + '/agreements', { headers: { Cookie: cookie } });
    const text = await r.text();
    return { status: r.status, text, csrf: (text.match(/name="csrf" value="([^"]+)"/) || [])[1], cc: r.headers.get('cache-control') };
  };
  const a = await signIn(env.tokens['viewer-test']);
  const b = await signIn(env.tokens['admin-test']);
  const a1 = await page(a);
  const b1 = await page(b);
  assert.equal(a1.status, 200);
  assert.ok(a1.csrf && b1.csrf && a1.csrf !== b1.csrf);
  assert.match(a1.text, /viewer-test/);
  assert.match(b1.text, /admin-test/);
  assert.equal(a1.cc, 'no-store');
  for (let i = 0; i < 8; i++) {
    const [ai, bi] = [await page(a), await page(b)];
    assert.equal(ai.text, a1.text);
    assert.equal(bi.text, b1.text);
    assert.equal(ai.cc, 'no-store');
  }
  const out = await fetch(srv.url + '/logout', { method: 'POST', redirect: 'manual', body: `csrf=${a1.csrf}`,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: a } });
  assert.equal(out.status, 303);
  for (let i = 0; i < 4; i++) {
    const ended = await page(a); // answered as to anyone: never the session's cached page
    assert.doesNotMatch(ended.text, new RegExp(a1.csrf));
    assert.doesNotMatch(ended.text, /viewer-test/);
  }
  assert.equal((await page(b)).text, b1.text);
  } finally {
    await srv.stop();
  }
});

test('format=xlsx on every table route: a workbook that openpyxl opens, its figures numbers equal to the JSON ones, filters and sources on its second sheet', async () => {
  const files = {}, answers = {};
  for (const [path, query] of Object.entries(samples)) {
    const json = (await get(path + query)).json;
    // not a table (health, OpenAPI) or a verdict with its reasons (a check): JSON only
    if (!json || !(json.table || json.tables) || 'allowed' in json) continue;
    const r = await fetch(srv.url + path + query + (query ? '&' : '?') + 'format=xlsx');
    assert.equal(r.status, 200, path);
    assert.equal(r.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', path);
    const file = join(env.dir, path.replaceAll('/', '_') + '.xlsx');
    writeFileSync(file, Buffer.from(await r.arrayBuffer()));
    files[file] = path;
    answers[path] = json.table ? json : json.tables[0];
  }
  assert.ok(Object.keys(files).length >= 40, `${Object.keys(files).length} table routes`);
  const read = JSON.parse(execFileSync('/usr/bin/python3', ['tests/api/read_xlsx.py', ...Object.keys(files)], { encoding: 'utf8', maxBuffer: 64 << 20 }));
  let numbers = 0;
  for (const [file, path] of Object.entries(files)) {
    const book = read[file], table = answers[path];
    assert.deepEqual(book.sheets, ['Data', 'About'], path);
    const [header, ...rows] = book.rows;
    assert.equal(header.length, table.columns.length, path);
    assert.equal(rows.length, table.total_rows ?? table.rows.length, path);
    table.rows.forEach((row, i) => table.columns.forEach((col, c) => {
      const want = row[col.name], got = rows[i][c];
      if (want === null || want === undefined || want === '') return;
      if (row.metric === 'events_per_s') return; // the simulator's own speed, measured anew each run
      if (['money', 'mass', 'integer', 'number'].includes(col.type)) {
        assert.equal(typeof got, 'number', `${path} row ${i} ${col.name}: ${got}`);
        assert.ok(Math.abs(got - Number(want)) <= 1e-9 * Math.max(1, Math.abs(Number(want))), `${path} row ${i} ${JSON.stringify(row)} ${col.name}: ${got} vs ${want}`);
        numbers++;
      } else {
        assert.equal(String(got), String(want), `${path} row ${i} ${col.name}`);
      }
    }));
    assert.equal(book.about[0][0], 'Title', path);
    assert.equal(book.about[0][1], table.title, path);
  }
  assert.ok(numbers > 500, `${numbers} figures compared`);
  // the filters and the sources travel with the figures
  const totals = read[Object.keys(files).find((f) => files[f] === '/api/v1/trade/totals')];
  assert.deepEqual(totals.about[1], ['Asked for', 'reporter = KAZ; partner = CHN']);
  assert.ok(totals.about.some((r) => /^Source: /.test(r[1] || '')));
  assert.equal(totals.rows[0][1], 'Exports, US$');
  assert.equal((await get('/api/v1/trade/totals?format=pdf')).status, 400);
});

test('CSV for Excel: a byte-order mark; in Russian and Kazakh ";" between fields and decimal commas; text holding ";" quoted', async () => {
  const base = '/api/v1/trade/totals?reporter=KAZ&partner=CHN&format=csv&excel=1';
  for (const [lang, sep, two] of [['ru', ';', '13200000000,00'], ['kk', ';', '13200000000,00'], ['en', ',', '13200000000.00'], ['zh', ',', '13200000000.00']]) {
    const r = await fetch(srv.url + base + '&lang=' + lang);
    const bytes = Buffer.from(await r.arrayBuffer());
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], lang);
    const [head, row2022] = bytes.subarray(3).toString('utf8').split('\n');
    assert.equal(head, ['year', 'exports_usd', 'imports_usd', 'turnover_usd', 'balance_usd', 'turnover_growth_pct', 'reporter', 'partner'].join(sep), lang);
    // 2022 as the demo's sources give it: exports US$ 13.2 bn, imports 11.0 bn, turnover 24.1 bn
    assert.equal(row2022, ['2022', two, two.replace('132', '110'), two.replace('132', '241'), two.replace('13200', '2200'), '', 'KAZ', 'CHN'].join(sep), lang);
  }
  // without excel=1 nothing changes: no mark, commas, points
  const plain = Buffer.from(await (await fetch(srv.url + '/api/v1/trade/totals?reporter=KAZ&partner=CHN&format=csv&lang=ru')).arrayBuffer());
  assert.equal(plain.subarray(0, 4).toString(), 'year');
  // a text with ';' is quoted when ';' separates
  const parties = await (await fetch(srv.url + '/api/v1/parties/list?format=csv&excel=1&lang=ru')).text();
  for (const line of parties.split('\n').slice(1).filter(Boolean))
    assert.ok(!/;[^";]*;[^";]*;/.test(line) || line.split(';').length >= 2);
});
