// Crash consistency: in each round a large trade import runs from the command
// line while API clients record organisations through the server, both on
// one database; at a random moment both processes are killed with SIGKILL.
// Then the database must pass PRAGMA integrity_check, hold the whole import
// or none of it, and hold every organisation whose write was answered 2xx;
// a server started again on it answers. KILL_ROUNDS rounds (3 by default;
// `make kill` runs 50).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { copyFileSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, demoDatabase, startServer } from '../lib/server.mjs';

const ROUNDS = +(process.env.KILL_ROUNDS || 3);
const ROWS_PER_YEAR = 12 * 400; // months × HS codes
let env, bigFile, rows;

const sql = (db, q) => execFileSync('sqlite3', [db, q], { encoding: 'utf8' }).trim();

before(() => {
  env = demoDatabase();
  // 20 years × 12 months × 400 six-digit HS codes of corridor's own reference
  const codes = sql(env.db, 'SELECT code FROM hs WHERE length(code) = 6 ORDER BY code LIMIT 400').split('\n');
  assert.equal(codes.length, 400);
  const lines = ['source,reporter,reporter_region,partner,year,month,flow,hs,value_usd,net_kg,qty,qty_unit'];
  for (let y = 2000; y < 2020; y++)
    for (let m = 1; m <= 12; m++)
      for (const h of codes) lines.push(`Kill test (synthetic),KAZ,,CHN,${y},${m},X,${h},1000.5,10,,`);
  rows = lines.length - 1;
  assert.equal(rows, 20 * ROWS_PER_YEAR);
  bigFile = join(env.dir, 'big.csv');
  writeFileSync(bigFile, lines.join('\n') + '\n');
});

// Records organisations one after another over `clients` connections until
// stopped; resolves the names whose write was answered 2xx.
function writer(url, token, round, clients = 4) {
  const acked = [];
  let stop = false;
  const one = async (c) => {
    for (let i = 0; !stop; i++) {
      const name = `Kill ${round}-${c}-${i}`;
      try {
        const r = await fetch(`${url}/api/v1/parties/add`, {
          method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({ name, country: 'KAZ', kind: 'private', source: 'kill test (synthetic)' }),
        });
        await r.text();
        if (r.status >= 200 && r.status < 300) acked.push(name);
      } catch { return; } // the server is gone
    }
  };
  const all = Promise.all(Array.from({ length: clients }, (_, c) => one(c)));
  return { done: async () => { stop = true; await all; return acked; } };
}

test(`${ROUNDS} rounds of SIGKILL during an import and API writes lose nothing acknowledged and leave no half import`, { timeout: 600000 }, async () => {
  let whole = 0, none = 0, writes = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const db = join(env.dir, `kill-${round}.db`);
    copyFileSync(env.db, db);
    const srv = await startServer(db);
    const stream = writer(srv.url, env.tokens['parties-test'], round);
    await new Promise((r) => setTimeout(r, 200)); // writes before the import, beside it, after it
    const imp = spawn(BIN, ['trade', 'import', bigFile, '--db', db], { stdio: 'ignore' });
    const importExit = new Promise((r) => imp.on('exit', (code, signal) => r({ code, signal })));
    // somewhere between the import's start and a little past its usual end
    await new Promise((r) => setTimeout(r, Math.random() * 4000));
    srv.kill();
    imp.kill('SIGKILL');
    await new Promise((r) => srv.proc.on('exit', r));
    const how = await importExit;
    const acked = await stream.done();

    assert.equal(sql(db, 'PRAGMA integrity_check'), 'ok', `round ${round}`);
    const stored = +sql(db, "SELECT count(*) FROM trade_flow WHERE source_id = (SELECT id FROM source WHERE name = 'Kill test (synthetic)')");
    assert.ok(stored === 0 || stored === rows, `round ${round}: ${stored} of ${rows} rows (import ${JSON.stringify(how)})`);
    if (how.code === 0) assert.equal(stored, rows, 'an import that finished is whole');
    stored ? whole++ : none++;
    const present = new Set(sql(db, "SELECT name FROM party WHERE name LIKE 'Kill %'").split('\n').filter(Boolean));
    for (const name of acked) assert.ok(present.has(name), `round ${round}: '${name}' was answered 2xx and is missing`);
    writes += acked.length;

    // the database opens again and serves
    const again = await startServer(db);
    assert.equal((await fetch(again.url + '/healthz')).status, 200);
    await again.stop();
    rmSync(db, { force: true });
    for (const ext of ['-wal', '-shm', '.access.log']) rmSync(db + ext, { force: true });
  }
  console.log(`kill rounds: ${ROUNDS}; imports whole: ${whole}, absent: ${none}; acknowledged writes all present: ${writes}`);
});
