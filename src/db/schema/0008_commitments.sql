-- Meetings and forums, and the commitments made at them: who promised what
-- to whom, by when, where it stands as typed (status, evidence), and the
-- indicator that measures it from the data the other areas hold (a name in
-- the indicator registry of commitments/, with what it is about: an
-- agreement code, an HS code, a stage; the countries; a baseline and a
-- target in the indicator's own unit: grams, US cents, visitors or a
-- level; and the window the indicator reads).
CREATE TABLE meeting (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    date TEXT NOT NULL,                  -- YYYY-MM-DD
    place TEXT NOT NULL,
    participants TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE TABLE commitment (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    meeting_id INTEGER NOT NULL REFERENCES meeting(id),
    text TEXT NOT NULL,
    owner TEXT NOT NULL,
    counterpart TEXT NOT NULL DEFAULT '',
    due TEXT NOT NULL,                   -- YYYY-MM-DD
    status TEXT NOT NULL CHECK (status IN ('open', 'in progress', 'done', 'dropped')),
    evidence TEXT NOT NULL DEFAULT '',
    indicator TEXT NOT NULL DEFAULT '',  -- '' = none
    subject TEXT NOT NULL DEFAULT '',
    from_country TEXT REFERENCES country(code3),
    to_country TEXT REFERENCES country(code3),
    origins TEXT NOT NULL DEFAULT '',    -- investment: ','-separated alpha-3 codes
    baseline INTEGER,
    target INTEGER,
    window_start TEXT,                   -- YYYY-MM-DD; NULL = the meeting's date
    window_end TEXT,                     -- YYYY-MM-DD; NULL = open
    source TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX commitment_by_meeting ON commitment(meeting_id, due);
