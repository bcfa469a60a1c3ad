-- schema.sql: the only definition of the scraper's SQLite database (news.db).
--
-- How it is applied. scraper/store/database.py runs this file on open when PRAGMA user_version (set at
-- the bottom) is lower than the version below, inside one BEGIN IMMEDIATE transaction, so two
-- processes opening a new file at once cannot interleave. Every statement is idempotent
-- (CREATE ... IF NOT EXISTS). A file made by an older version is first brought up to date by
-- store.MIGRATIONS (version -> SQL), then this file runs; a newer file is refused. Connection
-- settings cannot live in the file, so database.py sets them on every open: journal_mode=WAL
-- (readers never block the writer), busy_timeout=30 s (a second cron run waits instead of
-- failing), foreign_keys=ON, synchronous=NORMAL (WAL: a crash or kill -9 never corrupts and
-- never loses a committed page; only a power cut may lose the last commits).
--
-- Raw archive. Raw responses (status, headers, body) are stored gzip-compressed in
-- raw_responses, written IN THE SAME TRANSACTION as the page's fetch row, article, authors,
-- revision, full-text and near-duplicate index rows, instead of appending to a separate WARC
-- file. Reason: a kill -9 cannot leave an archive entry without its record or a record without
-- its archive entry, and two overlapping cron runs cannot interleave writes into one WARC file
-- (SQLite serialises them). WARC stays the exchange format for researchers:
-- Store.export_warc(path) writes a WARC 1.1 file (warcio) with one response record per
-- archived page, its original headers, WARC-Target-URI and WARC-Date = fetched_at.
--
-- Deduplication (scraper/store/dedup.py has the measured thresholds):
--   1. by normalised URL: every URL a story is known by (rel=canonical/og:url on the same
--      site, final URL, requested URL, AMP URL) is a row of url_aliases pointing at it;
--   2. by exact content_hash (SHA-256 of the normalised body): a copy gets duplicate_of =
--      the first copy;
--   3. near-duplicates: a 64-bit SimHash of the body's word 3-shingles (stored signed, as
--      SQLite integers are), indexed in simhash_bands (4 bands of 16 bits, each probed with its
--      16 one-bit neighbours: every pair within the 7-bit threshold is found) so a lookup costs
--      68 index probes whatever the size of the DB. A near-duplicate is stored with
--      duplicate_of = the first copy, never dropped. Bodies under 50 words are not matched.
--
-- Conventions: times are ISO 8601 text (UTC for our own times, as the page gave them for
-- published/modified); list and object columns are JSON text (Datasette renders them).

-- Every HTTP request, successful or not.
CREATE TABLE IF NOT EXISTS fetches (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL,                     -- as requested
    final_url TEXT,                        -- after redirects
    site TEXT,                             -- host of final_url (or url), for per-site stats
    status INTEGER,                        -- HTTP status; NULL when no response came back
    -- new | updated | unchanged | duplicate | not_article | not_modified | skipped | error
    outcome TEXT NOT NULL,
    error TEXT,                            -- "ErrorClass: reason" (outcome error or skipped)
    content_type TEXT,
    etag TEXT,
    last_modified TEXT,
    bytes INTEGER,                         -- body size after HTTP decompression
    elapsed REAL,                          -- seconds, retries included
    attempts INTEGER,
    redirects TEXT NOT NULL DEFAULT '[]',  -- JSON list of the URLs that redirected
    fetched_at TEXT NOT NULL,
    article_id INTEGER REFERENCES articles(id)
);
CREATE INDEX IF NOT EXISTS fetches_url ON fetches(url);
CREATE INDEX IF NOT EXISTS fetches_final_url ON fetches(final_url);
CREATE INDEX IF NOT EXISTS fetches_article ON fetches(article_id);
CREATE INDEX IF NOT EXISTS fetches_site ON fetches(site, outcome);

-- The response of a fetch that returned a body, so records can be re-extracted offline.
CREATE TABLE IF NOT EXISTS raw_responses (
    fetch_id INTEGER PRIMARY KEY REFERENCES fetches(id) ON DELETE CASCADE,
    status INTEGER,
    headers TEXT NOT NULL,                 -- JSON object, lower-case names
    body BLOB NOT NULL,                    -- gzip of the (HTTP-decoded) body
    size INTEGER NOT NULL                  -- bytes before gzip
);

-- One row per story. Record fields keep the names of Article.to_dict().
CREATE TABLE IF NOT EXISTS articles (
    id INTEGER PRIMARY KEY,
    canonical_url TEXT NOT NULL UNIQUE,    -- normalised (scraper.urls.normalize_url)
    url TEXT,                              -- the page URL the record was extracted from
    site TEXT,                             -- host of canonical_url
    source TEXT,
    page_type TEXT NOT NULL DEFAULT 'article',
    headline TEXT,
    byline TEXT,
    authors TEXT NOT NULL DEFAULT '[]',    -- JSON list of names, in byline order
    published TEXT,
    modified TEXT,
    body TEXT,                             -- paragraphs joined by a blank line
    paragraphs TEXT NOT NULL DEFAULT '[]', -- JSON list
    author_bios TEXT NOT NULL DEFAULT '[]',-- JSON list of {name, role, bio, url}
    language TEXT,
    site_name TEXT,
    description TEXT,
    section TEXT,
    tags TEXT NOT NULL DEFAULT '[]',       -- JSON list
    image TEXT,
    word_count INTEGER,
    content_hash TEXT,                     -- SHA-256 of the normalised body
    provenance TEXT NOT NULL DEFAULT '{}', -- JSON: field -> where its value came from
    error TEXT,
    simhash INTEGER,                       -- 64-bit SimHash of the body, signed
    duplicate_of INTEGER REFERENCES articles(id),  -- first copy of the same story
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,               -- last fetch that returned this story (200 or 304)
    fetched_at TEXT NOT NULL,              -- fetch of the version stored here
    fetch_id INTEGER REFERENCES fetches(id)-- that fetch, whose raw response rebuilds the record
);
CREATE INDEX IF NOT EXISTS articles_content_hash ON articles(content_hash);
CREATE INDEX IF NOT EXISTS articles_site ON articles(site);
CREATE INDEX IF NOT EXISTS articles_duplicate_of ON articles(duplicate_of);
CREATE INDEX IF NOT EXISTS articles_fetched_at ON articles(fetched_at);

-- Every normalised URL a story is known by -> the story.
CREATE TABLE IF NOT EXISTS url_aliases (
    url TEXT PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS url_aliases_article ON url_aliases(article_id);

-- People, per site (the same name on two sites may be two people).
CREATE TABLE IF NOT EXISTS authors (
    id INTEGER PRIMARY KEY,
    site TEXT NOT NULL,
    name TEXT NOT NULL,
    role TEXT,
    bio TEXT,
    url TEXT,
    UNIQUE (site, name)
);

-- Key columns first: SQLite 3.40's integrity_check wrongly reports NULLs in a WITHOUT ROWID
-- table whose key columns are not its leading columns.
CREATE TABLE IF NOT EXISTS article_authors (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,             -- 0 = first in the byline
    author_id INTEGER NOT NULL REFERENCES authors(id),
    PRIMARY KEY (article_id, position)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS article_authors_author ON article_authors(author_id);

-- Every distinct version (headline + body) of a story, oldest first.
CREATE TABLE IF NOT EXISTS revisions (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    fetch_id INTEGER REFERENCES fetches(id),
    fetched_at TEXT NOT NULL,
    headline TEXT,
    body TEXT,
    content_hash TEXT
);
CREATE INDEX IF NOT EXISTS revisions_article ON revisions(article_id, id);

-- Near-duplicate index: (band number, 16-bit band value) of each article's SimHash, with the
-- whole SimHash so a lookup checks the Hamming distance without reading the articles rows.
CREATE TABLE IF NOT EXISTS simhash_bands (
    band INTEGER NOT NULL,
    value INTEGER NOT NULL,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    simhash INTEGER NOT NULL,
    PRIMARY KEY (band, value, article_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS simhash_bands_article ON simhash_bands(article_id);

-- Full-text search on headline and body; the text lives in articles only (external content).
CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5(
    headline, body, content='articles', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER IF NOT EXISTS articles_fts_insert AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts (rowid, headline, body) VALUES (new.id, new.headline, new.body);
END;
CREATE TRIGGER IF NOT EXISTS articles_fts_delete AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, headline, body)
    VALUES ('delete', old.id, old.headline, old.body);
END;
CREATE TRIGGER IF NOT EXISTS articles_fts_update AFTER UPDATE OF headline, body ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, headline, body)
    VALUES ('delete', old.id, old.headline, old.body);
    INSERT INTO articles_fts (rowid, headline, body) VALUES (new.id, new.headline, new.body);
END;

PRAGMA user_version = 3;

-- Crawl frontier and runs (scraper/crawl/) ------------------------------------------------------
-- Every URL the crawler knows, keyed by its normalised spelling with the AMP suffix dropped
-- (scraper.frontier.url_key), moving queued -> claimed -> done | failed | skipped. A row a
-- killed run left claimed goes back to the queue, or is marked done when fetches shows the
-- page was saved. Known pages come due again (due_at): articles after 1 day, the interval
-- doubling while unchanged up to 30 days; listings after 1 hour, up to 12 hours.
CREATE TABLE IF NOT EXISTS frontier (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL UNIQUE,              -- url_key(fetch_url)
    fetch_url TEXT NOT NULL,               -- the URL requested
    host TEXT NOT NULL,                    -- host:port: one request at a time each
    site TEXT NOT NULL,                    -- scope.site_key: registrable domain or host:port
    kind TEXT NOT NULL,                    -- page | sitemap | feed
    source TEXT NOT NULL,                  -- seed | page | sitemap | news-sitemap | feed | robots
                                           -- | guess | alias
    depth INTEGER NOT NULL,                -- links from a seed; nesting level for sitemaps
    tier INTEGER NOT NULL,                 -- 0 sitemaps and feeds, 1 seeds, 2 new, 3 revisits
    score REAL NOT NULL,                   -- article-likeness of the URL, plus source hints
    published TEXT,                        -- date hint (news sitemap, feed, URL): newest first
    lastmod TEXT,                          -- sitemap lastmod
    state TEXT NOT NULL,                   -- queued | claimed | done | failed | skipped
    outcome TEXT,                          -- last outcome, or why it was skipped
    page_type TEXT,                        -- article | listing, once fetched
    run_id INTEGER REFERENCES crawl_runs(id),  -- the run that last claimed or completed it
    claimed_at TEXT,
    fetched_at TEXT,                       -- last completed attempt
    due_at TEXT,                           -- when a done or failed page is fetched again
    interval REAL,                         -- days until the next visit
    failures INTEGER NOT NULL DEFAULT 0,   -- consecutive failures; 3 and it is given up
    etag TEXT,                             -- validators of sitemaps and feeds (pages: fetches)
    last_modified TEXT,
    discovered_at TEXT NOT NULL
);
DROP INDEX IF EXISTS frontier_queue;  -- version 2's order, replaced by frontier_priority
-- The frontier's order (frontier.PRIORITY): article-like first, then the newest (an undated
-- link counts as new as the day it was found), then the most article-like.
CREATE INDEX IF NOT EXISTS frontier_priority
    ON frontier(host, state, tier, score > 0 DESC, coalesce(published, discovered_at) DESC,
                score DESC);
CREATE INDEX IF NOT EXISTS frontier_state ON frontier(state, due_at);

-- One row per `scrape.py crawl`. A run killed before it could write its end stays 'running'
-- until the next run marks it 'killed'.
CREATE TABLE IF NOT EXISTS crawl_runs (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    ended_at TEXT,
    status TEXT NOT NULL,                  -- running | finished | interrupted | killed | failed
    pid INTEGER,                           -- a live pid here keeps a second crawl out
    seeds TEXT NOT NULL,                   -- JSON list
    options TEXT NOT NULL,                 -- JSON object
    counts TEXT NOT NULL DEFAULT '{}',     -- JSON: outcome -> pages, saved as the run goes
    exit_code INTEGER
);

-- Budgets of URL templates (scraper/crawl/patterns.py), added in version 3: host and path with
-- numbers, dates, slugs and ids abstracted, "?" for any query. A template may spend
-- PATH_BASE (QUERY_BASE for a query space) requests plus GROWTH per new article, and none
-- after STOP_STREAK misses in a row, so traps and dead archives stop costing requests, in
-- this run and the next ones.
CREATE TABLE IF NOT EXISTS url_patterns (
    pattern TEXT PRIMARY KEY,              -- e.g. 127.0.0.1:8080/events/? or news.test/{n}/{n}/{slug}
    requests INTEGER NOT NULL DEFAULT 0,   -- first fetches of non-seed pages charged to it
    articles INTEGER NOT NULL DEFAULT 0,   -- of which new stories
    misses INTEGER NOT NULL DEFAULT 0,     -- 404s and other lasting errors, listings, copies
    streak INTEGER NOT NULL DEFAULT 0      -- misses since the last story; reset each run when
                                           -- the template ever yielded one
) WITHOUT ROWID;
-- End of crawl frontier and runs.
