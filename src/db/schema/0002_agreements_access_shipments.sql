-- Parties, supply agreements (terms kept as dated versions), market access
-- (rules, registered establishments, barriers), border crossings as the
-- shipments area needs them, and shipments with their events.

CREATE TABLE party (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    country TEXT NOT NULL REFERENCES country(code3),
    region TEXT REFERENCES region(code),
    kind TEXT NOT NULL CHECK (kind IN ('state-owned', 'private', 'agency', 'government',
                                       'international')),
    origin TEXT REFERENCES country(code3),   -- investors: origin economy (HKG, MAC...)
    source TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE TABLE agreement (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('supply', 'framework')),
    source TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE TABLE agreement_party (
    agreement_id INTEGER NOT NULL REFERENCES agreement(id),
    party_id INTEGER NOT NULL REFERENCES party(id),
    role TEXT NOT NULL CHECK (role IN ('buyer', 'seller', 'guarantor', 'coordinator',
                                       'carrier', 'signatory')),
    PRIMARY KEY (agreement_id, party_id, role)
) STRICT;

-- Every amendment adds a version; the terms in force on a date are those of
-- the latest version whose `effective` date is on or before it.
CREATE TABLE agreement_terms (
    agreement_id INTEGER NOT NULL REFERENCES agreement(id),
    version INTEGER NOT NULL,
    effective TEXT NOT NULL,             -- YYYY-MM-DD
    hs_scope TEXT NOT NULL,              -- comma-separated HS prefixes
    cap_g INTEGER CHECK (cap_g > 0),     -- annual cap, grams
    cap_cents INTEGER CHECK (cap_cents > 0),
    period_kind TEXT NOT NULL CHECK (period_kind IN ('calendar', 'july-june')),
    start_date TEXT NOT NULL,
    end_date TEXT,
    status TEXT NOT NULL CHECK (status IN ('proposed', 'signed', 'in force', 'expired',
                                           'terminated')),
    note TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (agreement_id, version)
) STRICT;

CREATE TABLE access_rule (
    id INTEGER PRIMARY KEY,
    hs_prefix TEXT NOT NULL,
    exporter TEXT NOT NULL REFERENCES country(code3),
    exporter_region TEXT NOT NULL DEFAULT '',  -- '' = the whole country
    importer TEXT NOT NULL REFERENCES country(code3),
    status TEXT NOT NULL CHECK (status IN ('open', 'pending', 'suspended', 'closed')),
    documents TEXT NOT NULL DEFAULT '',        -- comma-separated document codes
    legal_basis TEXT NOT NULL DEFAULT '',
    effective_from TEXT NOT NULL,
    effective_to TEXT,                         -- exclusive; NULL = open-ended
    source TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE TABLE establishment (
    id INTEGER PRIMARY KEY,
    registration TEXT NOT NULL UNIQUE,         -- e.g. the GACC registration number
    name TEXT NOT NULL,
    country TEXT NOT NULL REFERENCES country(code3),
    region TEXT REFERENCES region(code),
    hs_scope TEXT NOT NULL,
    importer TEXT NOT NULL REFERENCES country(code3),
    valid_from TEXT NOT NULL,
    valid_to TEXT NOT NULL,                    -- exclusive
    status TEXT NOT NULL CHECK (status IN ('active', 'suspended', 'expired')),
    source TEXT NOT NULL DEFAULT ''
) STRICT;

-- Non-tariff measures, UNCTAD chapters A..P.
CREATE TABLE barrier (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    imposing TEXT NOT NULL REFERENCES country(code3),
    affected TEXT NOT NULL REFERENCES country(code3),
    hs_lines TEXT NOT NULL,
    ntm_code TEXT NOT NULL,
    type TEXT NOT NULL DEFAULT '',
    legal_reference TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    objective TEXT NOT NULL DEFAULT '',
    authority TEXT NOT NULL DEFAULT '',
    notified TEXT,
    in_force TEXT,
    lifted TEXT,
    status TEXT NOT NULL CHECK (status IN ('proposed', 'in force', 'lifted')),
    rule_id INTEGER REFERENCES access_rule(id),
    source TEXT NOT NULL DEFAULT ''
) STRICT;

-- Border crossings as shipments name them; the logistics area owns their
-- capacities.
CREATE TABLE crossing (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kz_side TEXT NOT NULL,
    cn_side TEXT NOT NULL,
    mode TEXT NOT NULL CHECK (mode IN ('rail', 'road', 'rail+road'))
) STRICT;

CREATE TABLE shipment (
    id INTEGER PRIMARY KEY,
    reference TEXT NOT NULL UNIQUE,
    exporter_id INTEGER NOT NULL REFERENCES party(id),
    importer_id INTEGER NOT NULL REFERENCES party(id),
    agreement_id INTEGER REFERENCES agreement(id),
    hs TEXT NOT NULL,
    net_g INTEGER NOT NULL CHECK (net_g > 0),
    value_cents INTEGER NOT NULL CHECK (value_cents >= 0),
    origin TEXT NOT NULL REFERENCES country(code3),
    origin_region TEXT REFERENCES region(code),
    dest TEXT NOT NULL REFERENCES country(code3),
    dest_region TEXT REFERENCES region(code),
    crossing TEXT REFERENCES crossing(code),
    mode TEXT NOT NULL CHECK (mode IN ('rail', 'road', 'air', 'sea', 'multimodal')),
    plant TEXT NOT NULL DEFAULT '',
    documents TEXT NOT NULL DEFAULT '',
    planned_date TEXT NOT NULL,
    status TEXT NOT NULL,                      -- the last event
    source TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE INDEX shipment_by_agreement ON shipment(agreement_id, planned_date);

CREATE TABLE shipment_event (
    id INTEGER PRIMARY KEY,
    shipment_id INTEGER NOT NULL REFERENCES shipment(id),
    event TEXT NOT NULL CHECK (event IN ('declared', 'departed', 'arrived', 'cleared',
                                         'transshipped', 'crossed', 'delivered', 'rejected')),
    at TEXT NOT NULL,                          -- YYYY-MM-DDTHH:MM (UTC)
    place TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE INDEX shipment_event_by_shipment ON shipment_event(shipment_id, at);

INSERT INTO crossing(code, name, kz_side, cn_side, mode) VALUES
    ('DOSTYK-RAIL', 'Dostyk / Alashankou (rail)', 'Dostyk', 'Alashankou', 'rail'),
    ('ALTYNKOL', 'Altynkol / Khorgos (rail)', 'Altynkol', 'Khorgos', 'rail'),
    ('NURZHOLY', 'Nur Zholy / Khorgos (road)', 'Nur Zholy', 'Khorgos', 'road'),
    ('ALAKOL', 'Alakol (Dostyk road) / Alashankou (road)', 'Alakol', 'Alashankou', 'road'),
    ('BAKHTY', 'Bakhty / Baketu (Tacheng)', 'Bakhty', 'Baketu', 'road'),
    ('MAIKAPCHAGAI', 'Maikapchagai / Jeminay', 'Maikapchagai', 'Jeminay', 'road'),
    ('KOLZHAT', 'Kolzhat / Dulata', 'Kolzhat', 'Dulata', 'road');
