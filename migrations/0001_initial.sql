-- Episodes, people, entities, themes and claims with their link tables.
CREATE TABLE episodes (
    id TEXT PRIMARY KEY,
    file TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL DEFAULT '',
    podcast TEXT NOT NULL DEFAULT '',
    date TEXT,
    language TEXT NOT NULL DEFAULT 'zh',
    channel TEXT NOT NULL DEFAULT '',
    source_url TEXT,
    sha256 TEXT NOT NULL,
    encoding TEXT NOT NULL DEFAULT 'utf-8',
    line_count INTEGER NOT NULL,
    source_text TEXT NOT NULL,          -- decoded lines joined by \n, for context and episode pages
    ingested_at TEXT NOT NULL
);

CREATE TABLE speakers (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    aliases TEXT NOT NULL DEFAULT '[]'  -- JSON list of surface forms
);

CREATE TABLE episode_speakers (
    episode_id TEXT NOT NULL REFERENCES episodes(id) ON DELETE CASCADE,
    speaker_id TEXT NOT NULL REFERENCES speakers(id),
    role TEXT NOT NULL,                 -- host | guest | narrator | found
    PRIMARY KEY (episode_id, speaker_id)
);

CREATE TABLE entities (
    id TEXT PRIMARY KEY,
    type TEXT NOT NULL CHECK (type IN ('model', 'company', 'product', 'person')),
    name TEXT NOT NULL,
    name_zh TEXT,
    aliases TEXT NOT NULL DEFAULT '[]'
);

CREATE TABLE themes (
    id TEXT PRIMARY KEY,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL
);

CREATE TABLE claims (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,            -- stable short id, the permalink
    episode_id TEXT NOT NULL REFERENCES episodes(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,               -- order inside the episode
    line_start INTEGER NOT NULL,
    line_end INTEGER NOT NULL,
    text TEXT NOT NULL,
    attribution TEXT NOT NULL CHECK (attribution IN ('cue', 'carried', 'narrator')),
    cue_line INTEGER,
    stance TEXT NOT NULL CHECK (stance IN ('positive', 'negative', 'neutral', 'mixed')),
    kind TEXT NOT NULL CHECK (kind IN ('prediction', 'fact', 'opinion', 'advice')),
    search_text TEXT NOT NULL DEFAULT '',   -- segmented, folded tokens (app.text.tokenize)
    entity_text TEXT NOT NULL DEFAULT '',   -- entity tokens for ranking by entity match
    CHECK (line_start >= 1 AND line_end >= line_start)
);
CREATE INDEX claims_episode ON claims(episode_id, seq);

CREATE TABLE claim_speakers (
    claim_id TEXT NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
    speaker_id TEXT NOT NULL REFERENCES speakers(id),
    position INTEGER NOT NULL,
    PRIMARY KEY (claim_id, speaker_id)
);
CREATE INDEX claim_speakers_speaker ON claim_speakers(speaker_id);

CREATE TABLE claim_entities (
    claim_id TEXT NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
    entity_id TEXT NOT NULL REFERENCES entities(id),
    position INTEGER NOT NULL,
    PRIMARY KEY (claim_id, entity_id)
);
CREATE INDEX claim_entities_entity ON claim_entities(entity_id);

CREATE TABLE claim_themes (
    claim_id TEXT NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
    theme_id TEXT NOT NULL REFERENCES themes(id),
    position INTEGER NOT NULL,
    PRIMARY KEY (claim_id, theme_id)
);
CREATE INDEX claim_themes_theme ON claim_themes(theme_id);

-- Claim ids that existed once: a permalink to one of them redirects to the claim that
-- now covers the same lines of the same episode.
CREATE TABLE retired_claims (
    id TEXT PRIMARY KEY,
    episode_id TEXT NOT NULL,
    line_start INTEGER NOT NULL,
    line_end INTEGER NOT NULL,
    retired_at TEXT NOT NULL
);
