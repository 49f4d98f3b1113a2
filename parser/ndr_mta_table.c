/*
 * NAME
 *   ndr_mta_table.c - the one engine that reads every plain-text MTA table
 * SYNOPSIS
 *   #include "ndr_mta_table.h"
 *   gboolean ndr_mta_table_detect (table, msg, parts);
 *   void     ndr_mta_table_extract (table, msg, parts, limits);
 * DESCRIPTION
 *   ndr_mta_table_detect() adds up the weights of the table's markers found in the report's
 *   From, Subject, headers, text and DSN part, and says yes at the table's threshold.
 *
 *   ndr_mta_table_extract() walks the report text as ndr_mta_table.h describes: recipients
 *   and their blocks, the remote server's replies (admin-text evidence), the MTA's own words
 *   (body evidence), remote and reporting MTA, action and language. It completes the
 *   recipients the DSN part made (found by address) and never overwrites what the DSN said.
 * TRUST
 *   None: the text is a stranger's. Lines are cut at limits->max_line, joined blocks too;
 *   patterns run with NDR_PCRE2_MATCH_LIMIT; evidence stops at limits->max_evidence and
 *   recipients at limits->max_recipients (ndr_message_add_recipient records that cut).
 * DIAGNOSTICS
 *   A table pattern that does not compile is our mistake: g_critical(), and the row is
 *   skipped.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <string.h>

#include "ndr_mta_table.h"

/* The most capture groups a table pattern uses, plus the whole match. */
#define MTA_MAX_GROUPS 16u

typedef struct {
  pcre2_code          **re;     /* one per line row; NULL where it did not compile */
  pcre2_match_context  *ctx;    /* NDR_PCRE2_MATCH_LIMIT */
} Compiled;

/* The state of one extraction. */
typedef struct {
  const NdrMtaTable *table;
  const Compiled    *c;
  NdrMessage        *msg;
  const NdrLimits   *limits;
  pcre2_match_data  *md;
  gboolean           in_section; /* a START line was passed (or the second pass runs) */
  gboolean           saw_start;
  guint              rcpt_lines; /* RCPT lines seen */
  const char        *action;     /* from the last START or ACTION row with one */
  const char        *lang;       /* from the first row with one */
  char              *sticky_host;/* named outside a block; holds for the blocks after it */
  guint              dsn_rcpts;  /* recipients the DSN part made before the text was read */
  NdrRecipient      *rcpt;       /* the open block's recipient, or NULL */
  gboolean           skip;       /* the open block names no recipient we keep: ignore it */
  GString           *block;      /* the open block's text, joined by spaces */
  gboolean           block_host; /* the open block named its own host */
  gboolean           block_reply;/* the open block had a remote reply */
  GString           *reply;      /* line mode: a multi-line reply still open, or empty */
  NdrRecipient      *reply_rcpt; /* ...and where it goes (NULL: the message) */
} Reader;

static Compiled *compile_table (const NdrMtaTable *table);
static gboolean  match_row (const Reader *r, guint row, const char *s, gsize len);
static char     *group (const Reader *r, guint row, const char *s, const char *name);
static gssize    group_start (const Reader *r, guint row, const char *name);
static void      run_pass (Reader *r, const char *text);

/* ci_contains - caseless search for needle in the first len bytes of hay */
static gboolean
ci_contains (const char *hay, gsize len, const char *needle)
{
  gsize n = strlen (needle);
  if (hay == NULL || n == 0 || n > len)
    return FALSE;
  char lo = g_ascii_tolower (needle[0]), up = g_ascii_toupper (needle[0]);
  for (gsize i = 0; i + n <= len; i++)
    if ((hay[i] == lo || hay[i] == up) && g_ascii_strncasecmp (hay + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

/* marker_found - is one detection marker present in the report? */
static gboolean
marker_found (const NdrMtaMarker *m, const NdrMessage *msg, const NdrParts *parts)
{
  g_autofree char *owned = NULL;
  const char *where = NULL;
  switch (m->where) {
  case NDR_MTA_IN_FROM:
    where = msg->from;
    if (where == NULL && parts->mime != NULL)
      where = owned = ndr_mime_header (parts->mime, "From");
    break;
  case NDR_MTA_IN_SUBJECT:
    where = msg->subject;
    if (where == NULL && parts->mime != NULL)
      where = owned = ndr_mime_header (parts->mime, "Subject");
    break;
  case NDR_MTA_IN_HEADER:                       /* presence only: no need to decode it */
    return parts->mime != NULL
           && g_mime_object_get_header (GMIME_OBJECT (parts->mime), m->text) != NULL;
  case NDR_MTA_IN_BODY:                         /* one lowered copy serves every marker */
    return ndr_parts_text_contains (parts, m->text, NDR_MTA_DETECT_WINDOW);
  case NDR_MTA_IN_DSN:
    where = parts->dsn;
    break;
  }
  if (where == NULL)
    return FALSE;
  return ci_contains (where, strnlen (where, NDR_MTA_DETECT_WINDOW), m->text);
}

/**
 * ndr_mta_table_detect:
 * @table: a plain-text MTA
 * @msg: the report, with its From and Subject read
 * @parts: its parts
 *
 * Adds up the weights of the markers of @table found in the report.
 *
 * Returns: TRUE when they reach the table's threshold.
 */
gboolean
ndr_mta_table_detect (const NdrMtaTable *table, const NdrMessage *msg, const NdrParts *parts)
{
  g_return_val_if_fail (table != NULL && msg != NULL && parts != NULL, FALSE);
  int score = 0;
  for (guint i = 0; i < table->n_markers && score < table->threshold; i++)
    if (marker_found (&table->markers[i], msg, parts))
      score += table->markers[i].weight;
  return score >= table->threshold;
}

/* marker_lang - the language of the first marker with one that the report shows */
static const char *
marker_lang (const NdrMtaTable *table, const NdrMessage *msg, const NdrParts *parts)
{
  for (guint i = 0; i < table->n_markers; i++)
    if (table->markers[i].lang != NULL && marker_found (&table->markers[i], msg, parts))
      return table->markers[i].lang;
  return NULL;
}

/* compile_table - compile every row of a table; a row that fails is our bug */
static Compiled *
compile_table (const NdrMtaTable *table)
{
  Compiled *c = g_new0 (Compiled, 1);
  c->re = g_new0 (pcre2_code *, table->n_lines);
  c->ctx = pcre2_match_context_create (NULL);
  pcre2_set_match_limit (c->ctx, NDR_PCRE2_MATCH_LIMIT);
  for (guint i = 0; i < table->n_lines; i++) {
    int code;
    PCRE2_SIZE offset;
    c->re[i] = pcre2_compile ((PCRE2_SPTR) table->lines[i].pattern, PCRE2_ZERO_TERMINATED,
                              PCRE2_CASELESS | PCRE2_UTF | PCRE2_MATCH_INVALID_UTF,
                              &code, &offset, NULL);
    if (c->re[i] == NULL) {
      PCRE2_UCHAR why[256];
      pcre2_get_error_message (code, why, G_N_ELEMENTS (why));
      g_critical ("%s: line row %u: offset %zu: %s", table->name, i, (size_t) offset,
                  (const char *) why);
      continue;
    }
    pcre2_jit_compile (c->re[i], PCRE2_JIT_COMPLETE);   /* without JIT: slower, same answers */
  }
  return c;
}

/* compiled - the table's compiled rows, made once */
static const Compiled *
compiled (const NdrMtaTable *table)
{
  NdrMtaCache *cache = table->cache;
  if (g_once_init_enter (&cache->once)) {
    cache->compiled = compile_table (table);
    g_once_init_leave (&cache->once, 1);
  }
  return cache->compiled;
}

/* match_row - does row match the len bytes at s? Groups are left in r->md */
static gboolean
match_row (const Reader *r, guint row, const char *s, gsize len)
{
  pcre2_code *re = r->c->re[row];
  if (re == NULL)
    return FALSE;
  int rc = pcre2_match (re, (PCRE2_SPTR) s, len, 0, 0, r->md, r->c->ctx);
  if (rc == PCRE2_ERROR_MATCHLIMIT)
    g_debug ("%s: row %u: match limit reached on a line of %zu bytes", r->table->name, row,
             (size_t) len);
  return rc > 0;
}

/* group_start - offset of a named group of the last match, or -1 if it did not take part */
static gssize
group_start (const Reader *r, guint row, const char *name)
{
  int n = pcre2_substring_number_from_name (r->c->re[row], (PCRE2_SPTR) name);
  if (n <= 0 || (guint) n >= MTA_MAX_GROUPS)
    return -1;
  PCRE2_SIZE *ov = pcre2_get_ovector_pointer (r->md);
  if (ov[2 * n] == PCRE2_UNSET)
    return -1;
  return (gssize) ov[2 * n];
}

/* group - a trimmed, bounded copy of a named group of the last match, or NULL */
static char *
group (const Reader *r, guint row, const char *s, const char *name)
{
  gssize start = group_start (r, row, name);
  if (start < 0)
    return NULL;
  int n = pcre2_substring_number_from_name (r->c->re[row], (PCRE2_SPTR) name);
  PCRE2_SIZE *ov = pcre2_get_ovector_pointer (r->md);
  return ndr_text_trim_dup (s + start, (gsize) (ov[2 * n + 1] - ov[2 * n]), r->limits->max_line);
}

/* first_row - the first row of a kind in [kinds] that matches the line, or -1 */
static int
first_row (const Reader *r, const char *s, gsize len, guint kinds)
{
  for (guint i = 0; i < r->table->n_lines; i++)
    if ((kinds & (1u << r->table->lines[i].kind)) != 0 && match_row (r, i, s, len))
      return (int) i;
  return -1;
}

#define KIND(k) (1u << (k))

/* named_rcpt - the known recipient whose address the text names in <...>, or NULL */
static NdrRecipient *
named_rcpt (NdrMessage *msg, const char *text)
{
  for (const char *lt = strchr (text, '<'); lt != NULL; lt = strchr (lt + 1, '<')) {
    const char *gt = strchr (lt, '>');
    if (gt == NULL)
      return NULL;
    g_autofree char *addr = g_strndup (lt + 1, (gsize) (gt - lt - 1));
    NdrRecipient *rcpt = ndr_message_find_recipient (msg, addr);
    if (rcpt != NULL)
      return rcpt;
  }
  return NULL;
}

/* target - where evidence found outside a block goes: the recipient it names, the open
 * block's, the only one; NULL means the message */
static NdrRecipient *
target (Reader *r, const char *text)
{
  NdrRecipient *rcpt = named_rcpt (r->msg, text);
  if (rcpt != NULL)
    return rcpt;
  if (r->rcpt != NULL)
    return r->rcpt;
  if (r->msg->recipients->len == 1)
    return g_ptr_array_index (r->msg->recipients, 0);
  return NULL;
}

/* has_evidence - is the same item already there (a reply both summarised and transcribed)? */
static gboolean
has_evidence (GPtrArray *into, NdrSource source, const char *text)
{
  for (guint i = 0; i < into->len; i++) {
    const NdrEvidence *ev = g_ptr_array_index (into, i);
    if (ev->source == source && g_strcmp0 (ev->text, text) == 0)
      return TRUE;
  }
  return FALSE;
}

/* add_evidence - add the codes of one line to rcpt (or the message); FALSE if it has none */
static gboolean
add_evidence (Reader *r, NdrRecipient *rcpt, NdrSource source, const char *text)
{
  char status[16];
  int code = 0;
  if (text == NULL || !ndr_evidence_parse_line (text, status, &code))
    return FALSE;
  GPtrArray *into = rcpt != NULL ? rcpt->evidence : r->msg->evidence;
  if (!has_evidence (into, source, text))
    ndr_evidence_add (into, source, status, code, text, r->limits);
  if (rcpt != NULL && source == NDR_SOURCE_ADMIN_TEXT) {
    if (rcpt->status == NULL && status[0] != '\0')
      rcpt->status = g_strdup (status);
    if (rcpt->reply_code == 0)
      rcpt->reply_code = code;
  }
  return TRUE;
}

/* set_once - give *field a copy of value unless it has one (the DSN part said it first) */
static void
set_once (char **field, const char *value)
{
  if (*field == NULL && value != NULL && *value != '\0')
    *field = g_strdup (value);
}

/* take_reply - the remote server's reply goes to rcpt: evidence, diagnostic, host */
static void
take_reply (Reader *r, NdrRecipient *rcpt, const char *reply, const char *host)
{
  add_evidence (r, rcpt, NDR_SOURCE_ADMIN_TEXT, reply);
  if (rcpt == NULL)
    return;
  set_once (&rcpt->remote_mta, host);
  if (!r->table->join)
    set_once (&rcpt->diagnostic, reply);
  if (rcpt == r->rcpt)
    r->block_reply = TRUE;
}

/* flush_reply - line mode: the multi-line reply held open is complete */
static void
flush_reply (Reader *r)
{
  if (r->reply->len == 0)
    return;
  g_autofree char *reply = g_strndup (r->reply->str, r->reply->len);
  g_string_truncate (r->reply, 0);
  take_reply (r, r->reply_rcpt, reply, NULL);
}

/* continues_reply - does this line continue the open multi-line reply ("550-..." "550 ...")?
 * Appends it without its codes if so; *last says the reply ends with it. */
static gboolean
continues_reply (Reader *r, const char *line, gsize len, gboolean *last)
{
  if (r->reply->len < 4 || len < 4 || strncmp (line, r->reply->str, 3) != 0
      || (line[3] != '-' && line[3] != ' '))
    return FALSE;
  *last = line[3] == ' ';
  const char *p = line + 4;
  const char *end = line + len;
  while (p < end && (g_ascii_isdigit (*p) || *p == '.'))   /* the enhanced code again */
    p++;
  g_autofree char *rest = ndr_text_trim_dup (p, (gsize) (end - p), r->limits->max_line);
  if (rest != NULL && r->reply->len + 1 + strlen (rest) <= r->limits->max_line) {
    g_string_append_c (r->reply, ' ');
    g_string_append (r->reply, rest);
  }
  return TRUE;
}

/* close_block - the open block is complete: in join mode, read its joined text */
static void
close_block (Reader *r)
{
  flush_reply (r);
  NdrRecipient *rcpt = r->rcpt;
  r->skip = FALSE;
  if (rcpt == NULL)
    return;
  const char *text = r->block->str;
  if (r->table->join && r->block->len > 0) {
    int row = first_row (r, text, r->block->len, KIND (NDR_MTA_REPLY));
    g_autofree char *own = NULL;
    if (row >= 0) {
      g_autofree char *reply = group (r, (guint) row, text, "reply");
      g_autofree char *host = group (r, (guint) row, text, "host");
      gssize at = group_start (r, (guint) row, "reply");
      own = ndr_text_trim_dup (text, at > 0 ? (gsize) at : 0, r->limits->max_line);
      take_reply (r, rcpt, reply, host);
    } else
      own = g_strdup (text);
    add_evidence (r, rcpt, NDR_SOURCE_BODY, own);
    row = first_row (r, text, r->block->len, KIND (NDR_MTA_HOST));
    if (row >= 0) {
      g_autofree char *host = group (r, (guint) row, text, "host");
      set_once (&rcpt->remote_mta, host);
    }
  }
  if (r->block->len > 0)
    set_once (&rcpt->diagnostic, text);
  set_once (&rcpt->remote_mta, r->sticky_host);
  r->rcpt = NULL;
  r->block_host = FALSE;
  r->block_reply = FALSE;
  g_string_truncate (r->block, 0);
}

/* block_append - add text to the open block's joined text, within limits->max_line */
static void
block_append (Reader *r, const char *s, gsize len)
{
  g_autofree char *t = ndr_text_trim_dup (s, len, r->limits->max_line);
  if (t == NULL)
    return;
  gsize need = strlen (t) + (r->block->len > 0 ? 1 : 0);
  if (r->block->len + need > r->limits->max_line) {
    g_debug ("%s: a recipient's text was cut at %zu bytes", r->table->name,
             (size_t) r->limits->max_line);
    return;
  }
  if (r->block->len > 0)
    g_string_append_c (r->block, ' ');
  g_string_append (r->block, t);
}

/* open_block - an RCPT row matched: find or add the recipient and start its block */
static void
open_block (Reader *r, guint row, const char *line, gsize len)
{
  g_autofree char *raw = group (r, row, line, "addr");   /* before close_block() matches */
  g_autofree char *orig = group (r, row, line, "orig");
  gssize rest = group_start (r, row, "rest");
  close_block (r);
  g_autofree char *addr = ndr_text_strip_addr (raw);
  r->rcpt_lines++;
  if (addr == NULL || strchr (addr, '@') == NULL)
    return;
  NdrRecipient *rcpt = ndr_message_find_recipient (r->msg, addr);
  if (rcpt == NULL && r->dsn_rcpts == 1)            /* the DSN's one recipient, another name */
    rcpt = g_ptr_array_index (r->msg->recipients, 0);
  else if (rcpt == NULL && r->dsn_rcpts == 0)
    rcpt = ndr_message_add_recipient (r->msg, addr, r->limits);  /* NULL at the limit */
  if (rcpt == NULL) {
    r->skip = TRUE;                                 /* the DSN part's list is the list */
    return;
  }
  g_autofree char *orig_addr = ndr_text_strip_addr (orig);
  set_once (&rcpt->original_recipient, orig_addr);
  set_once (&rcpt->action, r->action != NULL ? r->action : r->table->action);
  r->rcpt = rcpt;
  if (rest >= 0 && (gsize) rest < len)
    block_append (r, line + rest, len - (gsize) rest);
  if (!r->table->join) {                            /* "550 5.1.1 <rcpt>... User unknown" */
    g_autofree char *t = ndr_text_trim_dup (line, len, r->limits->max_line);
    add_evidence (r, rcpt, NDR_SOURCE_BODY, t);
  }
}

/* line_reply - line mode: a REPLY row matched; hold it open if it is a multi-line reply */
static void
line_reply (Reader *r, guint row, const char *line)
{
  g_autofree char *reply = group (r, row, line, "reply");
  g_autofree char *host = group (r, row, line, "host");
  gboolean last = FALSE;
  if (reply == NULL)
    return;
  if (continues_reply (r, reply, strlen (reply), &last)) {   /* "<<< 550-..." "<<< 550 ..." */
    if (last)
      flush_reply (r);
    return;
  }
  flush_reply (r);
  NdrRecipient *rcpt = target (r, reply);
  if (rcpt != NULL)
    set_once (&rcpt->remote_mta, host);
  if (strlen (reply) > 3 && g_ascii_isdigit (reply[0]) && reply[3] == '-') {
    g_string_assign (r->reply, reply);              /* "550-5.1.1 ...": more lines follow */
    r->reply_rcpt = rcpt;
    return;
  }
  take_reply (r, rcpt, reply, NULL);
}

/* line_host - a HOST row matched: the block's host, or one for the blocks that follow */
static void
line_host (Reader *r, guint row, const char *line)
{
  g_autofree char *host = group (r, row, line, "host");
  if (host == NULL)
    return;
  if (r->rcpt != NULL && !r->block_host) {
    set_once (&r->rcpt->remote_mta, host);
    r->block_host = TRUE;
    return;
  }
  close_block (r);
  g_free (r->sticky_host);
  r->sticky_host = g_steal_pointer (&host);
}

/* section_line - a line inside the recipients section that opened no block */
static void
section_line (Reader *r, const char *line, gsize len)
{
  guint kinds = (r->table->join ? 0 : KIND (NDR_MTA_REPLY) | KIND (NDR_MTA_HOST))
                | KIND (NDR_MTA_SKIP);
  int row = first_row (r, line, len, kinds);
  gboolean last = FALSE;
  if (row >= 0 && r->table->lines[row].kind == NDR_MTA_SKIP)
    return;                                         /* a summary's field: nothing to read */
  if (row >= 0 && r->table->lines[row].kind == NDR_MTA_REPLY) {
    line_reply (r, (guint) row, line);
    return;
  }
  if (!r->table->join && continues_reply (r, line, len, &last)) {
    if (last)
      flush_reply (r);
    return;
  }
  flush_reply (r);
  if (row >= 0) {
    line_host (r, (guint) row, line);
    return;
  }
  if (r->rcpt != NULL && (r->table->join || !r->block_reply))
    block_append (r, line, len);
  if (r->table->join && r->rcpt != NULL)
    return;                                         /* read when the block closes */
  g_autofree char *t = ndr_text_trim_dup (line, len, r->limits->max_line);
  if (t != NULL)
    add_evidence (r, target (r, t), NDR_SOURCE_BODY, t);
}

/* note_row - what a START, ACTION or REPORTER row says about the whole report */
static void
note_row (Reader *r, guint row, const char *line)
{
  const NdrMtaLine *l = &r->table->lines[row];
  if (r->lang == NULL && l->lang != NULL)
    r->lang = l->lang;
  if (l->action != NULL)
    r->action = l->action;
  if (l->kind == NDR_MTA_REPORTER) {
    g_autofree char *host = group (r, row, line, "host");
    set_once (&r->msg->reporting_mta, host);
  }
  if (l->kind == NDR_MTA_START) {
    close_block (r);
    r->in_section = TRUE;
    r->saw_start = TRUE;
    g_clear_pointer (&r->sticky_host, g_free);
  }
}

/* read_line - one line of the report; FALSE when it opens the quoted original */
static gboolean
read_line (Reader *r, const char *line, gsize len)
{
  guint always = KIND (NDR_MTA_STOP) | KIND (NDR_MTA_START) | KIND (NDR_MTA_ACTION)
                 | KIND (NDR_MTA_REPORTER);
  int row = first_row (r, line, len, always | (r->in_section ? KIND (NDR_MTA_RCPT) : 0));
  if (row >= 0) {
    NdrMtaKind kind = r->table->lines[row].kind;
    if (kind == NDR_MTA_STOP)
      return FALSE;
    if (kind == NDR_MTA_RCPT)
      open_block (r, (guint) row, line, len);
    else
      note_row (r, (guint) row, line);
    return TRUE;
  }
  if (!r->in_section)
    return TRUE;
  gsize i = 0;
  while (i < len && g_ascii_isspace (line[i]))
    i++;
  if (i == len) {                                   /* a blank line ends a block */
    close_block (r);
    return TRUE;
  }
  if (!r->skip)
    section_line (r, line, len);
  return TRUE;
}

/* run_pass - read the text up to the quoted original */
static void
run_pass (Reader *r, const char *text)
{
  const char *cursor = text;
  const char *line;
  gsize len;
  while (ndr_text_next_line (&cursor, &line, &len)) {
    g_autofree char *cut = g_strndup (line, MIN (len, r->limits->max_line));
    if (!read_line (r, cut, strlen (cut)))
      break;
  }
  close_block (r);
}

/* kind_of - the kind the recipients' actions give, as a DSN's would; NONE if none has one */
static NdrKind
kind_of (const NdrMessage *msg)
{
  static const struct { const char *action; NdrKind kind; } kinds[] = {
    { "failed", NDR_KIND_BOUNCE },      { "delayed", NDR_KIND_DELAY },
    { "delivered", NDR_KIND_DELIVERED }, { "relayed", NDR_KIND_DELIVERED },
    { "expanded", NDR_KIND_DELIVERED },
  };
  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)      /* in that order: failed wins */
    for (guint i = 0; i < msg->recipients->len; i++) {
      const NdrRecipient *rcpt = g_ptr_array_index (msg->recipients, i);
      if (g_strcmp0 (rcpt->action, kinds[k].action) == 0)
        return kinds[k].kind;
    }
  return NDR_KIND_NONE;
}

/**
 * ndr_mta_table_extract:
 * @table: the plain-text MTA that detected the report
 * @msg: the report; recipients from its DSN part may already be there
 * @parts: its parts; the text is read up to the quoted original
 * @limits: the limits in force
 *
 * Sets msg->mta, msg->lang (unless set), msg->reporting_mta (unless set) and msg->kind (unless
 * set) from the recipients' actions; adds or
 * completes a recipient per address the text names, with the remote server's replies as
 * admin-text evidence and the MTA's own coded lines as body evidence. Never fails.
 */
void
ndr_mta_table_extract (const NdrMtaTable *table, NdrMessage *msg, const NdrParts *parts,
                       const NdrLimits *limits)
{
  g_return_if_fail (table != NULL && msg != NULL && parts != NULL && limits != NULL);
  g_free (msg->mta);
  msg->mta = g_strdup (table->name);
  Reader r = { .table = table, .c = compiled (table), .msg = msg, .limits = limits };
  r.dsn_rcpts = msg->recipients->len;
  r.md = pcre2_match_data_create (MTA_MAX_GROUPS, NULL);
  r.block = g_string_new (NULL);
  r.reply = g_string_new (NULL);
  if (parts->text != NULL) {
    run_pass (&r, parts->text);
    if (!r.saw_start && r.rcpt_lines == 0) {        /* no heading: read it all as the list */
      r.in_section = TRUE;
      run_pass (&r, parts->text);
    }
  }
  const char *lang = r.lang != NULL ? r.lang : marker_lang (table, msg, parts);
  set_once (&msg->lang, lang != NULL ? lang : "en");
  if (msg->kind == NDR_KIND_NONE)
    msg->kind = kind_of (msg);          /* an MTA's report is no auto-reply, whatever its headers */
  pcre2_match_data_free (r.md);
  g_string_free (r.block, TRUE);
  g_string_free (r.reply, TRUE);
  g_free (r.sticky_host);
}
