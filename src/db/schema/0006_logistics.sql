-- The corridor as a network: places (nodes), the rail and road links
-- between them with their yearly capacity (a link's capacity may change over
-- time: further rows of the same link from their opening date), the
-- infrastructure projects that open links or add capacity, and the freight
-- demand between places by year.

CREATE TABLE lgx_node (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    country TEXT NOT NULL REFERENCES country(code3),
    region TEXT REFERENCES region(code),
    kind TEXT NOT NULL CHECK (kind IN ('city', 'terminal', 'dry-port', 'border', 'port')),
    source TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE TABLE lgx_project (
    name TEXT PRIMARY KEY,
    status TEXT NOT NULL CHECK (status IN ('planned', 'under construction', 'open', 'cancelled')),
    cost_usd INTEGER CHECK (cost_usd >= 0),        -- US cents
    opens TEXT NOT NULL,                            -- YYYY-MM-DD
    source TEXT NOT NULL DEFAULT ''
) STRICT;

-- One row per link and period: opens '' means always; closes '' never
-- (exclusive). A row with a project is active from the project's opening,
-- unless the project is cancelled.
CREATE TABLE lgx_link (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL,
    from_node TEXT NOT NULL REFERENCES lgx_node(code),
    to_node TEXT NOT NULL REFERENCES lgx_node(code),
    mode TEXT NOT NULL CHECK (mode IN ('rail', 'road')),
    crossing TEXT REFERENCES crossing(code),
    length_km REAL NOT NULL CHECK (length_km >= 0),
    capacity_t INTEGER NOT NULL CHECK (capacity_t >= 0), -- tonnes a year
    cost_usd_t INTEGER NOT NULL CHECK (cost_usd_t >= 0), -- US cents a tonne
    opens TEXT NOT NULL DEFAULT '',
    closes TEXT NOT NULL DEFAULT '',
    project TEXT REFERENCES lgx_project(name),
    source TEXT NOT NULL DEFAULT '',
    UNIQUE (code, opens)
) STRICT;

CREATE TABLE lgx_demand (
    year INTEGER NOT NULL,
    origin TEXT NOT NULL REFERENCES lgx_node(code),
    destination TEXT NOT NULL REFERENCES lgx_node(code),
    commodity TEXT NOT NULL,
    tonnes INTEGER NOT NULL CHECK (tonnes >= 0),
    source TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (year, origin, destination, commodity)
) STRICT;
