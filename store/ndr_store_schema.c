/*
 * NAME
 *   ndr_store_schema.c - all SQL of store/: the migrations and the prepared statements
 * DESCRIPTION
 *   ndr_store_migrations[v] takes a database from PRAGMA user_version v to v + 1; a new
 *   database runs them all. A change to the schema is a new entry at the end (never an edit of
 *   an old one), NDR_STORE_SCHEMA_VERSION one higher, and tests/test_store.c then checks it
 *   from every earlier version.
 *
 *   Version 1: the tables and the indexes of the trend queries. Version 2: the FTS5 index
 *   "search" over diagnostic, admin and user text, filled from the rows already there.
 *   Version 3: views with friendly names for the sqlite3 shell (docs/ingest.md). Version 4:
 *   the covering indexes of ndr report (store/ndr_store_query.c).
 *
 *   Dates: bounced_at is the report's Date in UTC ("2026-11-29T07:12:10Z"), day its first ten
 *   characters; both fall back to the time the message was stored when the report has none.
 * TRUST
 *   Nothing: constant text.
 */
#include "store_priv.h"

static const char schema_v1[] =
  "CREATE TABLE runs ("
  "  id INTEGER PRIMARY KEY,"
  "  command TEXT NOT NULL,"           /* ingest, reclassify */
  "  started TEXT NOT NULL,"
  "  finished TEXT,"                   /* NULL: still running, or killed */
  "  status TEXT NOT NULL DEFAULT 'running'," /* running, done, failed */
  "  jobs INTEGER,"
  "  seen INTEGER NOT NULL DEFAULT 0,"
  "  added INTEGER NOT NULL DEFAULT 0,"
  "  known INTEGER NOT NULL DEFAULT 0,"
  "  quarantined INTEGER NOT NULL DEFAULT 0,"
  "  failed INTEGER NOT NULL DEFAULT 0);"
  "CREATE TABLE messages ("
  "  id INTEGER PRIMARY KEY,"
  "  sha256 TEXT NOT NULL UNIQUE,"     /* of the raw bytes, CRLF and CR made LF */
  "  run_id INTEGER REFERENCES runs(id),"
  "  source TEXT,"
  "  stored_at TEXT NOT NULL,"
  "  size INTEGER NOT NULL,"           /* the message's real size */
  "  raw_size INTEGER NOT NULL,"       /* bytes kept (less than size when cut) */
  "  truncated INTEGER NOT NULL DEFAULT 0,"
  "  raw BLOB NOT NULL,"               /* gzip of the raw_size bytes kept */
  "  date TEXT,"                       /* the report's Date, as written */
  "  bounced_at TEXT,"
  "  day TEXT,"
  "  kind TEXT,"
  "  mta TEXT,"
  "  lang TEXT,"
  "  reporting_mta TEXT,"
  "  subject TEXT,"
  "  from_addr TEXT,"
  "  orig_message_id TEXT,"
  "  orig_from TEXT,"
  "  orig_to TEXT,"
  "  orig_subject TEXT,"
  "  orig_date TEXT,"
  "  user_text TEXT,"
  "  admin_text TEXT,"
  "  error TEXT);"                     /* what could not be read: the rows are partial */
  "CREATE TABLE recipients ("
  "  message_id INTEGER NOT NULL REFERENCES messages(id),"
  "  idx INTEGER NOT NULL,"            /* order in the report, from 0 */
  "  day TEXT,"                        /* the message's day, copied for the trend index */
  "  address TEXT COLLATE NOCASE,"
  "  domain TEXT,"                     /* lower case, after the last @ */
  "  original_recipient TEXT,"
  "  display_name TEXT,"
  "  action TEXT,"
  "  status TEXT,"                     /* the real status, as classify/ decided */
  "  reply_code INTEGER,"
  "  remote_mta TEXT,"
  "  diagnostic TEXT,"
  "  last_attempt_date TEXT,"
  "  will_retry_until TEXT,"
  "  category TEXT,"
  "  outcome TEXT,"
  "  permanent INTEGER,"
  "  owner TEXT,"
  "  rule TEXT,"
  "  confidence REAL,"
  "  misleading TEXT,"                 /* codes shown but not the cause, space-separated */
  "  decided_by TEXT,"
  "  sisimai_reason TEXT,"
  "  PRIMARY KEY (message_id, idx)) WITHOUT ROWID;"
  "CREATE TABLE evidence ("
  "  message_id INTEGER NOT NULL REFERENCES messages(id),"
  "  recipient_idx INTEGER,"           /* NULL: the message's, when it has no recipient */
  "  seq INTEGER NOT NULL,"
  "  source TEXT NOT NULL,"
  "  status TEXT,"
  "  reply_code INTEGER,"
  "  text TEXT);"
  "CREATE INDEX evidence_message ON evidence (message_id);"
  "CREATE TABLE hops ("
  "  message_id INTEGER NOT NULL REFERENCES messages(id),"
  "  seq INTEGER NOT NULL,"
  "  hop TEXT, time TEXT, from_host TEXT, to_host TEXT, with_proto TEXT, relay_time TEXT,"
  "  PRIMARY KEY (message_id, seq)) WITHOUT ROWID;"
  "CREATE TABLE quarantine ("
  "  id INTEGER PRIMARY KEY,"
  "  sha256 TEXT NOT NULL UNIQUE,"
  "  run_id INTEGER REFERENCES runs(id),"
  "  source TEXT,"
  "  stored_at TEXT NOT NULL,"
  "  error TEXT NOT NULL,"
  "  size INTEGER NOT NULL,"
  "  raw_size INTEGER NOT NULL,"
  "  truncated INTEGER NOT NULL DEFAULT 0,"
  "  raw BLOB NOT NULL);"
  "CREATE INDEX recipients_category_day ON recipients (category, day);"
  "CREATE INDEX recipients_domain_day ON recipients (domain, day);"
  "CREATE INDEX recipients_address ON recipients (address);"
  "CREATE INDEX messages_orig_message_id ON messages (orig_message_id);"
  "CREATE INDEX messages_day ON messages (day);";

static const char schema_v2[] =
  "CREATE VIRTUAL TABLE search USING fts5 (diagnostic, admin_text, user_text,"
  "  tokenize = 'unicode61 remove_diacritics 2');"
  "INSERT INTO search (rowid, diagnostic, admin_text, user_text)"
  "  SELECT m.id,"
  "    (SELECT group_concat (r.diagnostic, char (10)) FROM recipients r"
  "      WHERE r.message_id = m.id),"
  "    m.admin_text, m.user_text FROM messages m;";

static const char schema_v3[] =
  "CREATE VIEW bounces AS"
  "  SELECT m.id AS message, r.idx AS recipient, r.day, r.address, r.domain, r.category,"
  "    r.status, r.reply_code, r.outcome, r.permanent, r.owner, r.rule, r.confidence,"
  "    r.misleading, r.remote_mta, r.diagnostic, m.kind, m.mta, m.reporting_mta,"
  "    m.orig_message_id, m.orig_from, m.orig_subject, m.subject, m.source"
  "  FROM recipients r JOIN messages m ON m.id = r.message_id;"
  "CREATE VIEW daily AS"
  "  SELECT day, category, count(*) AS recipients FROM recipients"
  "  GROUP BY day, category ORDER BY day, category;"
  "CREATE VIEW domains AS"
  "  SELECT domain, category, count(*) AS recipients, min(day) AS first_day,"
  "    max(day) AS last_day FROM recipients GROUP BY domain, category;"
  "CREATE VIEW ingest_runs AS"
  "  SELECT id, command, started, finished, status, jobs, seen, added, known, quarantined,"
  "    failed FROM runs ORDER BY id;";

/* Version 4 (helper L): covering indexes for ndr report, which counts recipients per day,
 * cause, outcome, owner and domain over a range of days without reading the rows, and finds
 * each one's original sender without reading the message's row (which holds its bytes). */
static const char schema_v4[] =
  "CREATE INDEX recipients_report ON recipients (day, category, outcome, owner, domain);"
  "CREATE INDEX messages_sender ON messages (id, orig_from);";

const char *const ndr_store_migrations[NDR_STORE_SCHEMA_VERSION] = {
  schema_v1,
  schema_v2,
  schema_v3,
  schema_v4,
};

/* The parameters ?9..?25 are the parsed columns, the same in ST_PUT_MESSAGE and
 * ST_SET_MESSAGE so that one function binds both (bind_parsed() in ndr_store_put.c). */
#define PARSED_COLUMNS \
  "date, bounced_at, day, kind, mta, lang, reporting_mta, subject, from_addr," \
  " orig_message_id, orig_from, orig_to, orig_subject, orig_date, user_text, admin_text, error"

const char *const ndr_store_sql[ST_COUNT] = {
  [ST_KNOWS] =
    "SELECT 1 FROM messages WHERE sha256 = ?1"
    " UNION ALL SELECT 1 FROM quarantine WHERE sha256 = ?1 LIMIT 1",
  [ST_PUT_MESSAGE] =
    "INSERT INTO messages (sha256, run_id, source, stored_at, size, raw_size, truncated, raw, "
    PARSED_COLUMNS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15,"
    " ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25)",
  [ST_SET_MESSAGE] =
    "UPDATE messages SET date = ?9, bounced_at = coalesce (?10, stored_at),"
    " day = coalesce (?11, substr (stored_at, 1, 10)), kind = ?12, mta = ?13, lang = ?14,"
    " reporting_mta = ?15, subject = ?16, from_addr = ?17, orig_message_id = ?18,"
    " orig_from = ?19, orig_to = ?20, orig_subject = ?21, orig_date = ?22, user_text = ?23,"
    " admin_text = ?24, error = ?25 WHERE id = ?1",
  [ST_PUT_RECIPIENT] =
    "INSERT INTO recipients (message_id, idx, day, address, domain, original_recipient,"
    " display_name, action, status, reply_code, remote_mta, diagnostic, last_attempt_date,"
    " will_retry_until, category, outcome, permanent, owner, rule, confidence, misleading,"
    " decided_by, sisimai_reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12,"
    " ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23)",
  [ST_PUT_EVIDENCE] =
    "INSERT INTO evidence (message_id, recipient_idx, seq, source, status, reply_code, text)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
  [ST_PUT_HOP] =
    "INSERT INTO hops (message_id, seq, hop, time, from_host, to_host, with_proto, relay_time)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
  [ST_PUT_SEARCH] =
    "INSERT INTO search (rowid, diagnostic, admin_text, user_text) VALUES (?1, ?2, ?3, ?4)",
  [ST_PUT_QUARANTINE] =
    "INSERT INTO quarantine (sha256, run_id, source, stored_at, size, raw_size, truncated, raw,"
    " error) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
  [ST_RUN_START] =
    "INSERT INTO runs (command, started, jobs) VALUES (?1, ?2, ?3)",
  [ST_RUN_UPDATE] =
    "UPDATE runs SET finished = ?2, status = ?3, seen = ?4, added = ?5, known = ?6,"
    " quarantined = ?7, failed = ?8 WHERE id = ?1",
  [ST_BEGIN] = "BEGIN IMMEDIATE",
  [ST_COMMIT] = "COMMIT",
  [ST_ROLLBACK] = "ROLLBACK",
  [ST_READ_BATCH] =
    "SELECT id, source, size, raw_size, truncated, raw, substr (stored_at, 1, 10)"
    " FROM messages WHERE id > ?1 ORDER BY id LIMIT ?2",
  [ST_OLD_CATEGORIES] =
    "SELECT idx, category FROM recipients WHERE message_id = ?1 ORDER BY idx",
  [ST_DROP_RECIPIENTS] = "DELETE FROM recipients WHERE message_id = ?1",
  [ST_DROP_EVIDENCE] = "DELETE FROM evidence WHERE message_id = ?1",
  [ST_DROP_HOPS] = "DELETE FROM hops WHERE message_id = ?1",
  [ST_DROP_SEARCH] = "DELETE FROM search WHERE rowid = ?1",
  [ST_READ_QUARANTINE] =
    "SELECT id, sha256, error, stored_at, source, size, raw_size, truncated, raw FROM quarantine"
    " WHERE id > ?1 ORDER BY id LIMIT 1",
  [ST_DROP_QUARANTINE] = "DELETE FROM quarantine WHERE id = ?1",
};
