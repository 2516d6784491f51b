-- The investment pipeline: projects (investments, construction contracts and
-- development finance, kept apart by kind), each with its dated stage
-- history, and the published aggregate figures of the pipeline.

CREATE TABLE inv_project (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,           -- native code, or aei:/aiddata: keys
    title TEXT NOT NULL,
    investor TEXT NOT NULL,              -- the organisation (contractor, financier)
    origin TEXT NOT NULL REFERENCES country(code3),  -- CHN mainland, HKG, MAC...
    channel TEXT NOT NULL DEFAULT '',    -- intermediary: a Xinjiang company, a HK holding
    counterpart TEXT NOT NULL DEFAULT '',-- the host-side party of the transaction
    host TEXT NOT NULL REFERENCES country(code3),
    region TEXT REFERENCES region(code), -- ISO 3166-2 within host
    sector TEXT CHECK (sector IS NULL OR (length(sector) = 1 AND sector BETWEEN 'A' AND 'U')),
    subsector TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL CHECK (kind IN ('greenfield', 'acquisition', 'joint-venture',
                                       'construction', 'finance')),
    year INTEGER NOT NULL,               -- the year it was announced or committed
    amount INTEGER,                      -- original currency, hundredths
    currency TEXT CHECK (currency IS NULL OR length(currency) = 3),
    amount_usd INTEGER CHECK (amount_usd >= 0),      -- US cents
    share_bp INTEGER CHECK (share_bp BETWEEN 0 AND 10000),  -- basis points
    jobs INTEGER CHECK (jobs >= 0),
    source_id INTEGER NOT NULL REFERENCES source(id),
    note TEXT NOT NULL DEFAULT ''
) STRICT;

-- Every move of a project, in order; the last is where it stands.
CREATE TABLE inv_stage (
    project_id INTEGER NOT NULL REFERENCES inv_project(id),
    seq INTEGER NOT NULL,
    stage TEXT NOT NULL CHECK (stage IN ('idea', 'announced', 'signed', 'construction',
                                         'commissioned', 'stalled', 'cancelled')),
    date TEXT NOT NULL,                  -- YYYY-MM-DD
    note TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (project_id, seq)
) STRICT;

CREATE INDEX inv_project_host ON inv_project(host, kind);

-- Figures published about the pipeline as a whole (45 joint projects worth
-- US$ 14.5 bn...), each with its source.
CREATE TABLE inv_figure (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,           -- a short code
    label TEXT NOT NULL,                 -- what it counts, for people
    value TEXT NOT NULL,                 -- as published (exact decimal)
    unit TEXT NOT NULL,
    period TEXT NOT NULL DEFAULT '',
    source_id INTEGER NOT NULL REFERENCES source(id),
    note TEXT NOT NULL DEFAULT ''
) STRICT;

-- Each project with where it stands now (its last stage) and the furthest
-- stage of the main line it reached (0 idea .. 4 commissioned; -1 when its
-- history holds only stalled or cancelled).
CREATE VIEW inv_now AS
SELECT p.*, s.stage AS stage, s.date AS stage_date,
       (SELECT max(CASE h.stage WHEN 'idea' THEN 0 WHEN 'announced' THEN 1 WHEN 'signed' THEN 2
                   WHEN 'construction' THEN 3 WHEN 'commissioned' THEN 4 ELSE -1 END)
          FROM inv_stage h WHERE h.project_id = p.id) AS reached
  FROM inv_project p
  JOIN inv_stage s ON s.project_id = p.id
   AND s.seq = (SELECT max(seq) FROM inv_stage WHERE project_id = p.id);
