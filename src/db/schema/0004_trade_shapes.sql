-- Trade files as they are downloaded: the HS edition of every row, and the
-- notes that go with the statistical areas UN Comtrade uses beyond ISO.

-- H0..H6 for the HS editions of 1992..2022, or HS when the file does not
-- say which ("as reported"). Kept beside the row, not in its key: the same
-- flow re-imported under another edition is a revision of it.
ALTER TABLE trade_flow ADD COLUMN classification TEXT NOT NULL DEFAULT 'HS';

-- What a code stands for where that needs saying (e.g. that Comtrade's 490,
-- "Other Asia, nes", is in practice Taiwan).
ALTER TABLE country ADD COLUMN note TEXT NOT NULL DEFAULT '';

-- X1 is Comtrade's Bunkers (837), not "Areas, nes" (899): the reference
-- files installed with this version say so.
DELETE FROM country_alias WHERE code = 'X1' AND country = '_AN';
