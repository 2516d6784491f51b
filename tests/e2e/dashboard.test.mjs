// The dashboard in Debian's Chromium, driven by playwright-core: every page
// renders its charts with their text alternatives, logs no console error and
// requests nothing but 127.0.0.1; the sign-in flow works; a form without its
// CSRF token is refused; the brief is self-contained and prints on A4. A
// screenshot of every page is saved in tests/artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { chromium } from 'playwright-core';
import { BIN, cli, demoDatabase, startServer } from '../lib/server.mjs';

const ART = 'tests/artifacts';
let env, srv, browser;

before(async () => {
  mkdirSync(ART, { recursive: true });
  env = demoDatabase();
  srv = await startServer(env.db);
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});
after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
});

// Opens a page and collects console errors and requests to other hosts.
async function open(ctx, path) {
  const page = await ctx.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push('console: ' + m.text()); });
  page.on('pageerror', (e) => problems.push('page error: ' + e.message));
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (u.protocol !== 'data:' && u.hostname !== '127.0.0.1') problems.push('request to ' + r.url());
  });
  const resp = await page.goto(srv.url + path);
  return { page, problems, resp };
}

const pages = [
  ['overview', '/', 6],
  ['trade', '/trade', 3],
  ['agreements', '/agreements', 2],
  ['access', '/access?hs=0202&from=KAZ&region=KZ-35&to=CHN&plant=KZ-GACC-0202-003&docs=vet-cert&date=2024-06-01', 0],
  ['shipments', '/shipments', 0], // no demo month has 3 shipments at one crossing
  ['investment', '/investment?code=KZ-JP-03', 3],
  ['logistics', '/logistics?year=2024', 3],
  ['tourism', '/tourism', 1],
  ['commitments', '/commitments?date=2026-11-27', 0],
];

for (const [name, path, charts] of pages) {
  test(`the ${name} page renders its charts and tables`, async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const { page, problems, resp } = await open(ctx, path);
    assert.equal(resp.status(), 200);
    await page.waitForLoadState('networkidle');
    const svgs = await page.locator('figure.chart svg').count();
    assert.ok(svgs >= charts, `${name}: ${svgs} charts, expected at least ${charts}`);
    for (let i = 0; i < svgs; i++) {
      const svg = page.locator('figure.chart svg').nth(i);
      assert.equal(await svg.getAttribute('role'), 'img');
      assert.ok((await svg.locator('title').first().textContent()).length > 3, 'chart without a title');
      assert.ok((await svg.locator('desc').first().textContent()).length > 10, 'chart without a text alternative');
    }
    assert.ok(await page.locator('table.data').count() >= 1);
    assert.deepEqual(problems, []);
    await page.screenshot({ path: join(ART, `${name}.png`), fullPage: true });
    await ctx.close();
  });
}

test('the overview states the headline facts with the CLI figures', async () => {
  const ctx = await browser.newContext();
  const { page } = await open(ctx, '/');
  const facts = await page.locator('ul.facts').first().textContent();
  const csv = cli(env.db, 'trade', 'totals', '--reporter', 'KAZ', '--partner', 'CHN', '--format', 'csv').trim().split('\n');
  const turnover = Number(csv[2].split(',')[3]) / 1e9;
  assert.ok(facts.includes(`US$ ${turnover.toFixed(1)} bn`), facts);
  assert.match(facts, /China ranks 1 among Kazakhstan's trading partners in 2023, with 22\.5%/);
  assert.match(facts, /Xinjiang accounts for 49\.5%/);
  // each fact cites its sources in a <cite>, not as escaped markup
  assert.ok(await page.locator('ul.facts cite').count() >= 4);
  assert.ok(!facts.includes('<cite>'));
  assert.match(await page.locator('ul.facts cite').first().textContent(), /Kazinform 2024-06/);
  // sorting a table by a header reorders its rows
  const table = page.locator('table.sortable').nth(1);
  await table.locator('th').first().click();
  await table.locator('th').first().click();
  const first = await table.locator('tbody tr').first().locator('td').first().textContent();
  assert.equal(first.trim(), '2023');
  await ctx.close();
});

test('sign-in gives a session; a form without its CSRF token is refused', async () => {
  const ctx = await browser.newContext();
  const { page, problems } = await open(ctx, '/login');
  await page.click('main details summary'); // the token form is folded under the password one
  await page.fill('input[name=token]', env.tokens['ship-test']);
  await page.click('form:has(input[name=token]) button[type=submit]');
  await page.waitForURL(srv.url + '/');
  assert.match(await page.locator('header .who').textContent(), /Signed in as ship-test/);
  const cookies = await ctx.cookies();
  const session = cookies.find((c) => c.name === 'corridor_session');
  assert.ok(session.httpOnly);
  assert.equal(session.sameSite, 'Strict');
  // the event form carries the CSRF token and works
  await page.goto(srv.url + '/shipments?status=cleared');
  await page.fill('form[action="/shipments/events"] input[name=reference]', 'W-2024-09');
  await page.selectOption('form[action="/shipments/events"] select[name=event]', 'transshipped');
  await page.fill('form[action="/shipments/events"] input[name=at]', '2024-10-20T08:00');
  await page.click('form[action="/shipments/events"] button');
  await page.waitForURL(srv.url + '/shipments');
  // typed in the crossing's local time (Dostyk keeps Asia/Almaty, UTC+5 since
  // March 2024): 08:00 there is 03:00 UTC
  assert.match(cli(env.db, 'shipments', 'show', 'W-2024-09'),
    /transshipped\s+2024-10-20T03:00\s+2024-10-20 08:00 UTC\+5/);
  // a form is read as strictly as the API reads a query: a NUL byte, a field
  // given twice or one the form does not have is refused, and nothing stored
  await page.goto(srv.url + '/shipments');
  const csrf = await page.inputValue('form[action="/shipments/events"] input[name=csrf]');
  const refused = await page.evaluate(async (token) => {
    const out = [];
    for (const extra of ['at=2024-10-21T10:00%00Z', 'at=2024-10-21T10:00&zone=UTC&zone=Asia/Urumqi',
      'at=2024-10-21T10:00&bogus=1'])
      out.push((await fetch('/shipments/events', { method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: `csrf=${token}&reference=W-2024-09&event=crossed&${extra}` })).status);
    return out;
  }, csrf);
  assert.deepEqual(refused, [400, 400, 400]);
  assert.doesNotMatch(cli(env.db, 'shipments', 'show', 'W-2024-09'), /crossed/);
  // the same form posted without the token: 403
  const status = await page.evaluate(async () => {
    const r = await fetch('/shipments/events', { method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'reference=W-2024-09&event=crossed&at=2024-10-21T08:00' });
    return r.status;
  });
  assert.equal(status, 403);
  assert.doesNotMatch(cli(env.db, 'shipments', 'show', 'W-2024-09'), /crossed/);
  // signing out ends the session
  await page.goto(srv.url + '/');
  await page.click('header form button');
  await page.waitForURL(srv.url + '/');
  assert.match(await page.locator('header .who').textContent(), /Sign in/);
  assert.deepEqual(problems.filter((p) => !p.includes('403') && !p.includes('400')), []);
  await ctx.close();
});

test('the brief is self-contained, states the CLI figures and prints on A4', async () => {
  const out = join(env.dir, 'brief.html');
  cli(env.db, 'brief', '--year', '2023', '-o', out);
  const html = readFileSync(out, 'utf8');
  const urls = html.match(/(?:src|href)\s*=\s*"(?!data:)[^"]*"|url\(|https?:\/\/(?!www\.w3\.org\/2000\/svg)[^\s"'<>]+/g) || [];
  assert.deepEqual(urls, [], 'the brief refers to something outside itself');
  assert.ok(html.includes('<style>'));
  const partners = JSON.parse(cli(env.db, 'trade', 'partners', '--reporter', 'KAZ', '--year', '2023', '--format', 'json'));
  const china = partners.rows.find((r) => r.partner === 'CHN');
  assert.ok(html.includes(`with <b>${china.share_pct.toFixed(1)}%</b> of its trade`));
  assert.ok(html.includes('US$ 31.5 bn') && html.includes('US$ 41.0 bn') && html.includes('<b>49.5%</b>'));
  assert.ok((html.match(/<svg /g) || []).length >= 6);
  const ctx = await browser.newContext();
  const { page, problems } = await open(ctx, '/brief?year=2023');
  assert.deepEqual(problems, []);
  const pdf = join(ART, 'brief.pdf');
  await page.pdf({ path: pdf, format: 'A4', printBackground: true });
  assert.ok(statSync(pdf).size > 20000);
  assert.equal(readFileSync(pdf).subarray(0, 5).toString(), '%PDF-');
  // every table's last column is on the paper: laid out for print at A4's
  // width, no table runs past the page, and the PDF's text (poppler's
  // pdftotext) holds each table's last header and the last cell of its first row
  await page.emulateMedia({ media: 'print' });
  await page.setViewportSize({ width: 794, height: 1123 });
  const tables = await page.evaluate(() => [...document.querySelectorAll('table.data')].map((t) => {
    const ths = t.querySelectorAll('thead th');
    const last = ths[ths.length - 1];
    const cell = t.querySelector('tbody tr')?.lastElementChild;
    return { caption: t.querySelector('caption')?.textContent || '', head: last.textContent,
      cell: cell ? cell.textContent : '', right: last.getBoundingClientRect().right,
      page: document.documentElement.clientWidth };
  }));
  assert.ok(tables.length >= 6, `${tables.length} tables`);
  const text = execFileSync('pdftotext', ['-layout', pdf, '-']).toString().replace(/\s+/g, ' ');
  const squash = (s) => s.replace(/\s+/g, ' ').trim();
  for (const t of tables) {
    assert.ok(t.right <= t.page, `${t.caption}: last column ends at ${t.right} px of ${t.page}`);
    for (const word of squash(t.head).split(' ')) assert.ok(text.includes(word), `${t.caption}: header ${t.head}`);
    if (squash(t.cell)) assert.ok(text.includes(squash(t.cell).split(' ')[0]), `${t.caption}: cell ${t.cell}`);
  }
  await page.screenshot({ path: join(ART, 'brief.png'), fullPage: true });
  await ctx.close();
});

test('the investment page states the CLI figures, filters by stage and opens a project', async () => {
  const ctx = await browser.newContext({ viewport: { width: 390, height: 800 } });
  const { page, problems } = await open(ctx, '/investment');
  // nothing but the tables scrolls sideways on a phone
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 390);
  const facts = await page.locator('ul.facts').textContent();
  assert.match(facts, /joint investment projects 45 projects \(2025\)/);
  const origin = JSON.parse(cli(env.db, 'invest', 'totals', '--by', 'origin', '--host', 'KAZ', '--format', 'json'));
  const sum = origin.rows.reduce((a, r) => a + Number(r.amount_usd), 0);
  const n = origin.rows.reduce((a, r) => a + r.projects, 0);
  assert.ok(facts.includes(`${n} projects, US$ ${(sum / 1e9).toFixed(1)} bn`), facts);
  assert.match(facts, /SYNTHETIC/);
  await page.selectOption('select[name=stage]', 'stalled');
  await page.click('form.filters button >> nth=0');
  await page.waitForURL(/stage=stalled/);
  const stalled = JSON.parse(cli(env.db, 'invest', 'list', '--stage', 'stalled', '--host', 'KAZ', '--kind', 'investment', '--format', 'json')).rows;
  const rows = page.locator('table.data').last().locator('tbody tr');
  assert.equal(await rows.count(), stalled.length);
  for (let i = 0; i < stalled.length; i++) assert.match(await rows.nth(i).textContent(), /stalled/);
  const code = stalled[0].code;
  await page.selectOption('select[name=code]', code);
  await page.click('form.filters button >> nth=1');
  await page.waitForURL(new RegExp('code=' + code));
  const history = await page.locator('table.data').filter({ hasText: 'Stage history' }).textContent();
  const show = JSON.parse(cli(env.db, 'invest', 'show', code, '--format', 'json')).tables[1].rows;
  for (const h of show) assert.ok(history.includes(h.date) && history.includes(h.stage), history);
  assert.deepEqual(problems, []);
  await page.screenshot({ path: join(ART, 'investment-390.png'), fullPage: true });
  await ctx.close();
});

test('the commitments page puts the overdue first, draws progress and follows the date asked', async () => {
  const ctx = await browser.newContext({ viewport: { width: 390, height: 800 } });
  const { page, problems } = await open(ctx, '/commitments?date=2026-11-27');
  const flags = await page.locator('li.cmt .cmt-head .flag').allTextContents();
  assert.equal(flags.length, 8);
  assert.deepEqual(flags.slice(0, 4), ['overdue', 'overdue', 'overdue', 'overdue']);
  assert.equal(flags[4], 'at risk');
  // the beef card: 380 of 1,000 t (by hand from the demo shipments), a bar at 38%
  const beef = page.locator('li.cmt', { hasText: 'URQ-BEEF ' }).first();
  assert.match(await beef.textContent(), /380 t .*target 1,000 t/);
  assert.equal(await beef.locator('svg.pbar').getAttribute('aria-label'), '38% of the way to the target');
  // past the target the bar is full and marked: 655,000 visitors of 600,000
  const tour = page.locator('li.cmt', { hasText: 'URQ-TOURISM' });
  assert.equal(await tour.locator('svg.pbar path.pover').count(), 1);
  // how it is measured unfolds the indicator's definition
  await tour.locator('summary').click();
  assert.match(await tour.locator('details').textContent(), /latest whole year ending within the window/);
  // as on the last day of 2024 the 3 Mt agreement was only proposed
  await page.fill('input[name=date]', '2024-12-31');
  await page.click('form.filters button');
  await page.waitForURL(/date=2024-12-31/);
  const agr = page.locator('li.cmt', { hasText: 'URQ-GRAIN-AGREEMENT' });
  assert.match(await agr.textContent(), /level 0/);
  assert.equal(await agr.locator('.flag').first().textContent(), 'on track');
  // nothing runs off a phone's screen
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 390));
  assert.deepEqual(problems, []);
  await ctx.close();
});

test('every page speaks Russian, Kazakh and Chinese when asked, and remembers it', async () => {
  const first = { ru: 'Обзор', kk: 'Шолу', zh: '概览' };
  for (const [lang, overview] of Object.entries(first)) {
    for (const [name, path] of pages) {
      const ctx = await browser.newContext({ viewport: { width: 1400, height: 900 } });
      const { page, resp } = await open(ctx, path + (path.includes('?') ? '&' : '?') + 'lang=' + lang);
      assert.equal(resp.status(), 200, `${name} in ${lang}`);
      assert.equal(await page.getAttribute('html', 'lang'), lang);
      assert.equal((await page.locator('header nav a').first().textContent()).trim(), overview);
      assert.equal(await page.locator(`nav.langs a[lang=${lang}]`).getAttribute('aria-current'), 'true');
      // nothing runs off the page, and every table fits its box at 1400 px
      const fit = await page.evaluate(() => ({
        doc: document.documentElement.scrollWidth,
        wide: [...document.querySelectorAll('.tablewrap')].filter((e) => e.scrollWidth > e.clientWidth + 1)
          .map((e) => e.querySelector('caption')?.textContent),
      }));
      assert.ok(fit.doc <= 1400, `${name} in ${lang}: ${fit.doc} px wide`);
      assert.deepEqual(fit.wide, [], `${name} in ${lang}: tables wider than their box`);
      await page.screenshot({ path: join(ART, `${name}-${lang}-1400.png`), fullPage: true });
      await page.setViewportSize({ width: 390, height: 800 });
      assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 390), `${name} in ${lang} at 390 px`);
      await page.screenshot({ path: join(ART, `${name}-${lang}-390.png`), fullPage: true });
      await ctx.close();
    }
  }
  // column labels with their units, and numbers written the reader's way
  const labels = { ru: 'Годовой лимит, т', kk: 'Жылдық лимит, т', zh: '年度限额, 吨' };
  for (const [lang, label] of Object.entries(labels)) {
    const ctx = await browser.newContext();
    const { page } = await open(ctx, '/agreements?lang=' + lang);
    assert.equal((await page.locator('th[title=cap_t]').first().textContent()).trim(), label);
    const pct = await page.locator('th[title=pct_of_cap]').first().textContent();
    assert.ok(pct.endsWith(', %'), pct);
    await ctx.close();
  }
  {
    // the demo's 2 Mt cap of 2025 (data/demo/agreement-amendments.csv): 2 000 000 in Russian
    const ctx = await browser.newContext();
    const { page } = await open(ctx, '/agreements?lang=ru');
    const cells = await page.locator('td[title="2000000.000"]').allTextContents();
    assert.ok(cells.includes('2\u00a0000\u00a0000'), JSON.stringify(cells));
    await ctx.close();
  }
  {
    // one date per page: stated once, and every section of the agreements page as of it
    const ctx = await browser.newContext();
    const { page } = await open(ctx, '/agreements?date=2024-06-30');
    assert.equal(await page.locator('form.asof').count(), 1);
    assert.equal((await page.locator('form.asof b').textContent()).trim(), '2024-06-30');
    const captions = await page.locator('table.data caption').allTextContents();
    assert.ok(captions.some((c) => c.includes('on 2024-06-30')), JSON.stringify(captions));
    assert.ok(captions.some((c) => c.includes('in force on 2024-06-30')), JSON.stringify(captions));
    assert.ok(!captions.some((c) => /\d{4}-\d\d-\d\d/.test(c.replace(/2024-06-30/g, ''))), JSON.stringify(captions));
    // and the downloads hold what the page shows
    const hrefs = await page.locator('table.data caption a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    assert.ok(hrefs.length >= 2 && hrefs.every((h) => h.includes('date=2024-06-30')), JSON.stringify(hrefs));
    await ctx.close();
  }
  // headline figures written the language's way: Kazakhstan's 2023 figure, US$ 31.5 bn
  const money = { ru: '31,5 млрд долл. США', kk: '31,5 млрд АҚШ доллары', zh: '315亿美元' };
  for (const [lang, words] of Object.entries(money)) {
    const ctx = await browser.newContext();
    const { page } = await open(ctx, '/?lang=' + lang);
    assert.ok((await page.locator('ul.facts').first().textContent()).includes(words), `${lang}: ${words}`);
    await ctx.close();
  }
  // places by their names in the reader's language (data/ref/country-codes.csv's
  // UN short names, data/ref/place-names.csv), chart labels with one format
  {
    const ctx = await browser.newContext();
    const { page } = await open(ctx, '/?lang=ru');
    const labels = await page.locator('#chart-partners text').allTextContents();
    assert.ok(labels.includes('Китай') && labels.includes('31,5') && labels.includes('27,0'), JSON.stringify(labels));
    const regions = await page.locator('table.data td').allTextContents();
    assert.ok(regions.includes('Синьцзян-Уйгурский автономный район'));
    await ctx.close();
  }
  // the glossary, linked from every footer, with the data's last change
  const terms = { en: 'Mirror comparison', ru: 'Зеркальное сравнение', kk: 'Айналы салыстыру', zh: '镜像比较' };
  for (const [lang, term] of Object.entries(terms)) {
    const ctx = await browser.newContext();
    const { page } = await open(ctx, '/trade?lang=' + lang);
    assert.match(await page.locator('footer').textContent(), /\d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    await page.click('footer a[href="/glossary"]');
    assert.equal(await page.locator('dl.glossary dt').count(), 14);
    assert.equal((await page.locator('dl.glossary dt').first().textContent()).trim(), term);
    await ctx.close();
  }
  // the choice is kept in a cookie; Accept-Language decides for a newcomer
  const ctx = await browser.newContext({ locale: 'zh-CN' });
  const { page } = await open(ctx, '/tourism');
  assert.equal(await page.getAttribute('html', 'lang'), 'zh');
  await page.click('nav.langs a[lang=kk]');
  await page.goto(srv.url + '/commitments');
  assert.equal(await page.getAttribute('html', 'lang'), 'kk');
  assert.equal((await page.locator('h1').textContent()).trim(), 'Міндеттемелер және олардың орындалу барысы');
  // switching language keeps what the page shows (the check asked, the date)
  await page.goto(srv.url + '/access?hs=0202&from=KAZ&region=KZ-19&to=CHN&docs=vet-cert&date=2024-06-01');
  await page.click('nav.langs a[lang=ru]');
  await page.waitForURL(/lang=ru/);
  const url = new URL(page.url());
  assert.equal(url.searchParams.get('hs'), '0202');
  assert.equal(url.searchParams.get('region'), 'KZ-19');
  assert.equal(url.searchParams.get('date'), '2024-06-01');
  assert.equal(url.searchParams.getAll('lang').length, 1);
  assert.equal(await page.getAttribute('html', 'lang'), 'ru');
  await ctx.close();
});

// Words that read the same in a translation: codes, units and names.
const SAME = new Set(['HS', 'CSV', 'CIF', 'FOB', 'ISIC', 'NTM', 'corridor', 'p50', 'p90']);

test('every page has its headings and column labels translated', async () => {
  const texts = async (path, lang) => {
    const ctx = await browser.newContext();
    const { page } = await open(ctx, path + (path.includes('?') ? '&' : '?') + 'lang=' + lang);
    const got = await page.evaluate(() => ({
      headings: [...document.querySelectorAll('h1, h2')].map((h) => h.textContent.trim()),
      labels: Object.fromEntries([...document.querySelectorAll('th[title]')].map((th) => [th.title, th.textContent.trim()])),
    }));
    await ctx.close();
    return got;
  };
  for (const [name, path] of pages) {
    const en = await texts(path, 'en');
    assert.ok(en.headings.length >= 1 && Object.keys(en.labels).length >= 1, name);
    for (const lang of ['ru', 'kk', 'zh']) {
      const it = await texts(path, lang);
      assert.equal(it.headings.length, en.headings.length, `${name} in ${lang}: headings`);
      const untranslated = [];
      it.headings.forEach((h, i) => { if (h === en.headings[i] && !SAME.has(h)) untranslated.push(h); });
      for (const [col, label] of Object.entries(it.labels))
        if (label === en.labels[col] && !SAME.has(label)) untranslated.push(`${col}: ${label}`);
      assert.deepEqual(untranslated, [], `${name} in ${lang}`);
    }
  }
});

test('every page in every language is well-formed UTF-8', async () => {
  const strict = new TextDecoder('utf-8', { fatal: true });
  for (const [name, path] of [...pages, ['glossary', '/glossary'], ['brief', '/brief?year=2023']])
    for (const lang of ['en', 'ru', 'kk', 'zh']) {
      const r = await fetch(srv.url + path + (path.includes('?') ? '&' : '?') + 'lang=' + lang);
      assert.equal(r.status, 200, `${name} in ${lang}`);
      const bytes = new Uint8Array(await r.arrayBuffer());
      assert.doesNotThrow(() => strict.decode(bytes), `${name} in ${lang}: a cut character`);
    }
});

test('a person signs in with a name and a password, is sent back with the reason when wrong, and changes the password', async () => {
  const pw = join(env.dir, 'pw.txt');
  writeFileSync(pw, 'steppe wheat 2024\n');
  cli(env.db, 'user', 'add', '--name', 'aigerim', '--role', 'editor:shipments', '--password-file', pw);
  const ctx = await browser.newContext();
  const { page, problems } = await open(ctx, '/login');
  // a wrong password: the form again, with the reason and the name kept
  await page.fill('input[name=name]', 'aigerim');
  await page.fill('input[name=password]', 'not the password');
  await page.click('form:has(input[name=password]) button[type=submit]');
  assert.match(await page.locator('main p.error').textContent(), /Unknown name or wrong password/);
  assert.equal(await page.inputValue('input[name=name]'), 'aigerim');
  assert.equal(await page.inputValue('input[name=password]'), '');
  // the right one
  await page.fill('input[name=password]', 'steppe wheat 2024');
  await page.click('form:has(input[name=password]) button[type=submit]');
  await page.waitForURL(srv.url + '/');
  assert.match(await page.locator('header .who').textContent(), /Signed in as aigerim/);
  // the account page: a wrong current password is named beside its field
  await page.click('header .who a[href="/account"]');
  await page.waitForURL(srv.url + '/account');
  await page.fill('input[name=current]', 'a wrong guess');
  await page.fill('input[name=password]', 'tengri tulpar 2025');
  await page.fill('input[name=again]', 'tengri tulpar 2025');
  await page.click('form[action="/account/password"] button');
  assert.match(await page.locator('main p.error').textContent(), /the current password is wrong/);
  assert.equal(await page.getAttribute('input[name=current]', 'aria-invalid'), 'true');
  await page.fill('input[name=current]', 'steppe wheat 2024');
  await page.fill('input[name=password]', 'tengri tulpar 2025');
  await page.fill('input[name=again]', 'tengri tulpar 2025');
  await page.click('form[action="/account/password"] button');
  assert.match(await page.locator('main p[role=status]').textContent(), /Your password has been changed/);
  // the session that changed it stays; the old password no longer signs in, the new one does
  await page.goto(srv.url + '/account');
  assert.match(await page.locator('header .who').textContent(), /Signed in as aigerim/);
  // (signed in, the sign-in form must carry the session's CSRF token)
  const csrf = await page.inputValue('header .who input[name=csrf]');
  const tryPassword = (password) => page.evaluate(async ([p, c]) => (await fetch('/login', { method: 'POST', redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrf: c, name: 'aigerim', password: p }).toString() })).status, [password, csrf]);
  assert.equal(await tryPassword('steppe wheat 2024'), 401);
  assert.ok([0, 303].includes(await tryPassword('tengri tulpar 2025'))); // a redirect, opaque to fetch
  assert.match(cli(env.db, 'audit', 'list', '--format', 'csv'), /user:aigerim,user\.password,account,aigerim/);
  // the only console lines are the refusals asked for above (two wrong passwords, a wrong current one)
  assert.deepEqual(problems.filter((p) => !/status of (401|403) /.test(p)), []);
  assert.equal(problems.length, 3);
  await ctx.close();
});

test('the alerts page lists what needs attention on the day asked, in the reader\'s words, each with a link; the brief opens with them', async () => {
  const ctx = await browser.newContext();
  const { page, problems } = await open(ctx, '/alerts?date=2024-12-31');
  // as case 171 works them out from the demo: one cap, one registration, two commitments, three crossings
  const items = await page.locator('ul.alerts li').allTextContents();
  assert.equal(items.length, 7);
  assert.match(items[0], /^cap FCC-COFCO-WHEAT: 85\.5% of the cap of 1,000,000 t for 2024 is declared/);
  assert.equal(await page.getAttribute('ul.alerts li:first-child a', 'href'), '/agreements?agreement=FCC-COFCO-WHEAT');
  assert.equal(await page.inputValue('input[name=date]'), '2024-12-31');
  await page.goto(srv.url + '/alerts?date=2024-12-31&lang=ru');
  const ru = await page.locator('ul.alerts li').allTextContents();
  assert.match(ru[0], /^лимит FCC-COFCO-WHEAT: за 2024 заявлено 85,5% лимита в 1\s000\s000\sт/); // grouped with no-break spaces
  await page.goto(srv.url + '/brief?year=2024&date=2024-12-31&lang=en');
  assert.equal(await page.locator('ul.alerts li').count(), 7);
  assert.equal(await page.locator('ul.alerts a').count(), 0, 'the brief links nowhere');
  assert.deepEqual(problems, []);
  await ctx.close();
});
