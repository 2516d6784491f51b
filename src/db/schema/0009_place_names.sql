-- Names of countries, regions and border crossings in the four languages of
-- corridor's users (en, ru, kk, zh), and the other names people type for
-- them (Россия beside Российская Федерация). The first name recorded for a
-- place and language is the one shown; every name resolves.
CREATE TABLE place_name (
    kind TEXT NOT NULL CHECK (kind IN ('country', 'region', 'crossing')),
    code TEXT NOT NULL,
    lang TEXT NOT NULL CHECK (lang IN ('en', 'ru', 'kk', 'zh')),
    name TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (kind, code, lang, name)
) STRICT;
