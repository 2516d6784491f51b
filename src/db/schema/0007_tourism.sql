-- Tourism flows: visitors from one country (their citizenship) to another in
-- a month (month 0: a figure for the whole year, as agencies publish
-- annual totals), optionally at one border crossing ('' = the country's
-- whole figure), by purpose and mode ('all' = not split). A month's figure
-- is its ('all', 'all') row when there is one, else the sum of its rows
-- (splits by purpose, mode or both).
CREATE TABLE tour_flow (
    year INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 2200),
    month INTEGER NOT NULL CHECK (month BETWEEN 0 AND 12),
    from_country TEXT NOT NULL REFERENCES country(code3),
    to_country TEXT NOT NULL REFERENCES country(code3),
    crossing TEXT NOT NULL DEFAULT '',
    purpose TEXT NOT NULL CHECK (purpose IN ('leisure', 'business', 'private', 'transit',
                                             'official', 'other', 'all')),
    mode TEXT NOT NULL CHECK (mode IN ('air', 'rail', 'road', 'foot', 'other', 'all')),
    visitors INTEGER NOT NULL CHECK (visitors BETWEEN 0 AND 2000000000),
    source TEXT NOT NULL DEFAULT '',
    CHECK (from_country <> to_country),
    PRIMARY KEY (from_country, to_country, crossing, year, month, purpose, mode)
) STRICT, WITHOUT ROWID;
