// DuckDB peer for `make bench`: loads the generated UN Comtrade file with
// read_csv, then answers the same totals and goods aggregates as
// `corridor trade totals|goods`, timing each query over its loaded table.
// Usage: node bench/duckdb_trade.mjs FILE.csv YEAR RUNS
import { DuckDBInstance } from '@duckdb/node-api';

const [file, year, runs] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4] || 10)];
const plain = `partner2Code = 0 AND customsCode = 'C00' AND motCode = 0 AND mosCode = 0`;
const totals = `SELECT refYear, flowCode, sum(primaryValue) AS v FROM t
  WHERE reporterISO = 'KAZ' AND partnerISO = 'CHN' AND cmdCode = 'TOTAL' AND ${plain}
  GROUP BY ALL ORDER BY 1, 2`;
const goods = `SELECT refYear, substr(cmdCode, 1, 2) AS ch, sum(primaryValue) AS v FROM t
  WHERE reporterISO = 'KAZ' AND partnerISO = 'CHN' AND flowCode = 'X' AND cmdCode <> 'TOTAL'
  AND refYear IN (${year - 1}, ${year}) AND ${plain} GROUP BY ALL ORDER BY 1, 3 DESC`;

const db = await DuckDBInstance.create(':memory:');
const c = await db.connect();
let t0 = performance.now();
await c.run(`CREATE TABLE t AS SELECT * FROM read_csv('${file}', header = true)`);
const load = (performance.now() - t0) / 1000;

async function best(sql) {
  const times = [];
  let rows;
  for (let i = 0; i < runs; i++) {
    const s = performance.now();
    rows = (await c.runAndReadAll(sql)).getRows();
    times.push(performance.now() - s);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)] / 1000, rows };
}
const tot = await best(totals);
const gd = await best(goods);
const x = tot.rows.find(r => Number(r[0]) === year && r[1] === 'X');
console.log(JSON.stringify({
  load_s: load, totals_s: tot.median, goods_s: gd.median,
  check_totals_x: x ? Number(x[2]).toFixed(2) : null,
  check_goods_top: gd.rows.length ? gd.rows.filter(r => Number(r[0]) === year)[0][1] : null,
}));
