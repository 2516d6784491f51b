-- The foundation: audit log, reference data and trade statistics.
-- Plain SQL (STRICT tables) that could be carried to PostgreSQL.

CREATE TABLE audit (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,            -- UTC, ISO 8601
    actor TEXT NOT NULL,         -- who: token owner or OS user
    action TEXT NOT NULL,        -- e.g. trade.import
    entity TEXT NOT NULL,        -- e.g. trade_flow
    entity_id TEXT,
    before TEXT,                 -- JSON or NULL
    after TEXT                   -- JSON or NULL
) STRICT;

CREATE TABLE country (
    code3 TEXT PRIMARY KEY,      -- ISO 3166-1 alpha-3 (or a statistical pseudo-code such as WLD)
    code2 TEXT,                  -- ISO 3166-1 alpha-2
    numeric INTEGER,             -- ISO 3166-1 numeric
    m49 INTEGER,                 -- UN M49
    name TEXT NOT NULL,          -- short English name
    official_name TEXT,
    region TEXT,
    subregion TEXT,
    kind TEXT NOT NULL DEFAULT 'economy' CHECK (kind IN ('economy', 'aggregate'))
) STRICT;

-- Other numeric codes that name a country, e.g. UN Comtrade reporter codes
-- that differ from M49 (842 for the United States).
CREATE TABLE country_alias (
    code TEXT PRIMARY KEY,
    country TEXT NOT NULL REFERENCES country(code3),
    note TEXT
) STRICT;

CREATE TABLE region (
    code TEXT PRIMARY KEY,       -- ISO 3166-2, e.g. CN-XJ
    country TEXT NOT NULL REFERENCES country(code3),
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    former_codes TEXT NOT NULL DEFAULT ''  -- ';'-separated, e.g. CN-65
) STRICT;

CREATE TABLE hs_section (
    section TEXT PRIMARY KEY,
    name TEXT NOT NULL
) STRICT;

CREATE TABLE hs (
    code TEXT PRIMARY KEY,       -- zero-padded text: 01, 0101, 010121, TOTAL
    parent TEXT,
    level INTEGER NOT NULL,      -- 0 (TOTAL), 2, 4, 6
    section TEXT,
    description TEXT NOT NULL
) STRICT;

-- Where figures come from. Every trade row names one; synthetic data says so.
CREATE TABLE source (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    publisher TEXT NOT NULL DEFAULT '',
    published TEXT NOT NULL DEFAULT '',   -- date of publication, ISO 8601
    url TEXT NOT NULL DEFAULT '',
    synthetic INTEGER NOT NULL DEFAULT 0 CHECK (synthetic IN (0, 1)),
    note TEXT NOT NULL DEFAULT ''
) STRICT;

-- Trade flows as the reporter reports them. flow: X export, M import,
-- RX re-export, RM re-import, processing flows, and T (total turnover, for
-- published figures that give no split). hs 'TOTAL' means all goods.
-- breakdown is '' for the summary row and a key such as
-- 'p2=0;cc=C01;mot=2100;mos=0' for the breakdown rows kept with --breakdown,
-- which totals never add.
CREATE TABLE trade_flow (
    source_id INTEGER NOT NULL REFERENCES source(id),
    reporter TEXT NOT NULL REFERENCES country(code3),
    reporter_region TEXT NOT NULL DEFAULT '',
    partner TEXT NOT NULL REFERENCES country(code3),
    year INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 2200),
    month INTEGER NOT NULL DEFAULT 0 CHECK (month BETWEEN 0 AND 12),
    flow TEXT NOT NULL,
    hs TEXT NOT NULL,
    breakdown TEXT NOT NULL DEFAULT '',
    value_cents INTEGER NOT NULL,
    net_g INTEGER,
    qty INTEGER,                 -- thousandths of the quantity unit
    qty_unit TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (reporter, partner, year, flow, hs, reporter_region, month, breakdown, source_id)
) STRICT, WITHOUT ROWID;

CREATE INDEX trade_flow_by_year ON trade_flow(reporter, year, partner);
