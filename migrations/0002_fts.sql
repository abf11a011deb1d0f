-- Full-text index over pre-segmented claim text, kept in sync by triggers.
-- Chinese is segmented by app.text.tokenize before it reaches SQLite, so the plain
-- unicode61 tokenizer only splits on the spaces we put in.
CREATE VIRTUAL TABLE claims_fts USING fts5(
    search_text, entity_text,
    content='claims', content_rowid='rowid',
    tokenize='unicode61 remove_diacritics 2'
);

CREATE TRIGGER claims_ai AFTER INSERT ON claims BEGIN
    INSERT INTO claims_fts(rowid, search_text, entity_text)
    VALUES (new.rowid, new.search_text, new.entity_text);
END;

CREATE TRIGGER claims_ad AFTER DELETE ON claims BEGIN
    INSERT INTO claims_fts(claims_fts, rowid, search_text, entity_text)
    VALUES ('delete', old.rowid, old.search_text, old.entity_text);
END;

CREATE TRIGGER claims_au AFTER UPDATE ON claims BEGIN
    INSERT INTO claims_fts(claims_fts, rowid, search_text, entity_text)
    VALUES ('delete', old.rowid, old.search_text, old.entity_text);
    INSERT INTO claims_fts(rowid, search_text, entity_text)
    VALUES (new.rowid, new.search_text, new.entity_text);
END;
