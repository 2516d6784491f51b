// Faults of the file and the machine: a read-only database file, a
// read-only directory, a full disk (a small tmpfs; skipped with a message
// where mounting is not allowed), a database locked by another writer, a
// damaged file, a newer schema, another application's database and a file
// that is no database at all. Each must be refused with a message that names
// the cause, a non-zero exit, and the file left as it was (same bytes, or
// for the full disk: integrity intact and nothing of the import stored).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, spawn, execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, chmodSync, readFileSync, writeFileSync, rmSync, openSync, writeSync, closeSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { BIN, demoDatabase } from '../lib/server.mjs';

let env;
before(() => {
  env = demoDatabase();
  chmodSync(env.dir, 0o777);
});

const sha = (f) => createHash('sha256').update(readFileSync(f)).digest('hex');
const sql = (db, q) => execFileSync('sqlite3', [db, q], { encoding: 'utf8' }).trim();
// corridor as a user who is not root when the test runs as root (root
// ignores file permissions); returns { code, stderr, stdout }
function run(args, { asOther = false } = {}) {
  const root = process.getuid && process.getuid() === 0;
  const [cmd, argv] = asOther && root
    ? ['setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', BIN, ...args]]
    : [BIN, args];
  const r = spawnSync(cmd, argv, { encoding: 'utf8', env: { ...process.env, CORRIDOR_USER: 'tester' } });
  return { code: r.status, stderr: r.stderr, stdout: r.stdout };
}
const addParty = (db, name = 'Fault test LLP', opts) =>
  run(['parties', 'add', '--name', name, '--country', 'KAZ', '--kind', 'private', '--db', db], opts);
function copy(name) {
  const f = join(env.dir, name);
  copyFileSync(env.db, f);
  return f;
}

test('a read-only database file: writes refused naming the file\'s permissions, reads still work, the file untouched', () => {
  const db = copy('ro.db');
  chmodSync(db, 0o444);
  const before = sha(db);
  const w = addParty(db, undefined, { asOther: true });
  assert.notEqual(w.code, 0);
  assert.match(w.stderr, /ro\.db: the database file is read-only \(its permissions or a read-only file system\)/);
  const r = run(['parties', 'list', '--db', db, '--format', 'csv'], { asOther: true });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /COFCO/);
  assert.equal(sha(db), before);
});

test('a read-only directory: refused naming the directory, not "attempt to write a readonly database" alone', () => {
  const dir = join(env.dir, 'rodir');
  mkdirSync(dir);
  const db = join(dir, 'a.db');
  copyFileSync(env.db, db);
  chmodSync(db, 0o666);
  chmodSync(dir, 0o555);
  const before = sha(db);
  const w = addParty(db, undefined, { asOther: true });
  assert.notEqual(w.code, 0);
  assert.match(w.stderr, /the directory \S*rodir cannot be written: SQLite keeps the database's write-ahead log and lock files beside it/);
  assert.equal(sha(db), before);
  const s = run(['serve', '--db', db, '--listen', '127.0.0.1:0'], { asOther: true });
  assert.notEqual(s.code, 0, 'the server does not start on it');
  assert.match(s.stderr, /rodir cannot be written/);
  chmodSync(dir, 0o755);
});

test('a full disk: the import is refused as a full disk, nothing of it stored, the database intact', (t) => {
  const mnt = join(env.dir, 'small');
  mkdirSync(mnt);
  const size = Math.ceil(readFileSync(env.db).length / 1024) + 256; // the database and 256 KiB
  const m = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}k`, 'tmpfs', mnt], { encoding: 'utf8' });
  if (m.status !== 0) {
    t.skip(`cannot mount a small tmpfs here (${(m.stderr || m.error?.message || '').trim()}): full disk not tested`);
    return;
  }
  try {
    const db = join(mnt, 'f.db');
    copyFileSync(env.db, db);
    const rows = +sql(db, 'SELECT count(*) FROM trade_flow');
    // 20,000 rows of a native file: megabytes in the write-ahead log
    const codes = sql(db, 'SELECT code FROM hs WHERE length(code) = 6 ORDER BY code LIMIT 400').split('\n');
    const lines = ['source,reporter,reporter_region,partner,year,month,flow,hs,value_usd,net_kg,qty,qty_unit'];
    for (let y = 2000; y < 2005; y++)
      for (let mo = 1; mo <= 10; mo++) for (const h of codes) lines.push(`Full disk (synthetic),KAZ,,CHN,${y},${mo},X,${h},1.5,1,,`);
    const file = join(env.dir, 'full.csv');
    writeFileSync(file, lines.join('\n') + '\n');
    const r = run(['trade', 'import', file, '--db', db]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /the disk is full \(or a quota is reached\): nothing of this change was stored/);
    assert.equal(sql(db, 'PRAGMA integrity_check'), 'ok');
    assert.equal(+sql(db, 'SELECT count(*) FROM trade_flow'), rows);
  } finally {
    spawnSync('umount', [mnt]);
  }
});

test('a database locked by another writer: refused as busy after waiting, naming the other writer', async () => {
  const db = copy('locked.db');
  // another process holds the write lock for 12 s
  const holder = spawn('sqlite3', [db], { stdio: ['pipe', 'ignore', 'ignore'] });
  holder.stdin.write('BEGIN IMMEDIATE;\nINSERT INTO audit(actor, action, detail) SELECT actor, action, detail FROM audit LIMIT 0;\n.shell sleep 12\n');
  await new Promise((r) => setTimeout(r, 500));
  const w = await new Promise((resolve) => {
    const p = spawn(BIN, ['parties', 'add', '--name', 'Locked LLP', '--country', 'KAZ', '--kind', 'private', '--db', db]);
    let err = '';
    p.stderr.on('data', (d) => { err += d; });
    p.on('exit', (code) => resolve({ code, stderr: err }));
  });
  holder.stdin.end('ROLLBACK;\n');
  holder.kill();
  assert.notEqual(w.code, 0);
  assert.match(w.stderr, /the database is busy: another writer holds it/);
  assert.equal(sql(db, "SELECT count(*) FROM party WHERE name = 'Locked LLP'"), '0');
});

test('a damaged file, a newer schema, another application\'s database, and no database at all: each refused by its cause, untouched', () => {
  const damaged = copy('damaged.db');
  execFileSync('sqlite3', [damaged, 'PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode=DELETE;']);
  const size = readFileSync(damaged).length;
  const fd = openSync(damaged, 'r+');
  writeSync(fd, Buffer.alloc(size - 4096, 0x5a), 0, size - 4096, 4096); // every page but the first
  closeSync(fd);
  const newer = copy('newer.db');
  execFileSync('sqlite3', [newer, 'PRAGMA user_version = 999;']);
  const foreign = join(env.dir, 'foreign.db');
  execFileSync('sqlite3', [foreign, 'CREATE TABLE invoices(id INTEGER PRIMARY KEY, total REAL); INSERT INTO invoices VALUES (1, 9.5);']);
  const junk = join(env.dir, 'junk.db');
  writeFileSync(junk, 'this is a spreadsheet, not a database\n'.repeat(200));
  const want = [
    [damaged, /the database file is damaged \(database disk image is malformed\): restore it from a backup/],
    [newer, /schema version 999 is newer than this corridor's \(\d+\): use a newer corridor/],
    [foreign, /another application's SQLite database \(application_id 0, 1 object in its schema\): corridor will not write to it/],
    [junk, /not a SQLite database, let alone a corridor one; corridor did not touch it/],
  ];
  for (const [db, why] of want) {
    const before = sha(db);
    const w = addParty(db);
    assert.notEqual(w.code, 0, db);
    assert.match(w.stderr, why, db);
    assert.equal(sha(db), before, `${db} untouched`);
    const init = run(['init', '--db', db]);
    assert.notEqual(init.code, 0, `init refuses ${db}`);
    assert.equal(sha(db), before, `${db} untouched by init`);
  }
});
