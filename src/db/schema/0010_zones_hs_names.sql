-- The time zone each border crossing's events are typed in (stored times
-- stay UTC), and the names of HS chapters in Russian, Kazakh and Chinese
-- (English comes with the nomenclature itself).
ALTER TABLE crossing ADD COLUMN zone TEXT NOT NULL DEFAULT 'Asia/Almaty'
    CHECK (zone IN ('UTC', 'Asia/Almaty', 'Asia/Urumqi', 'Asia/Shanghai'));

CREATE TABLE hs_name (
    hscode TEXT NOT NULL REFERENCES hs(code),
    lang TEXT NOT NULL CHECK (lang IN ('ru', 'kk', 'zh')),
    name TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (hscode, lang)
) STRICT;
