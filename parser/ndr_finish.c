/*
 * NAME
 *   ndr_finish.c - the last step of a parse: original message, kind, MTA, recipients
 * DESCRIPTION
 *   ndr_parse_finish() completes a record after the DSN part and the formats have been read:
 *   it fills the original message's fields (from the attached message/rfc822, the original
 *   headers block, or the headers after a quoted-original marker in the text), decides the
 *   kind (feedback, auto-reply, DSN actions, the format's verdict, the codes found), names
 *   the MTA, and gives every recipient the message-level evidence and a status and reply
 *   code taken from its best evidence.
 *
 *   Delivery-status fields that stand in the text of a report whose MIME boundary never
 *   comes are read from there. A feedback report is about the recipients its
 *   Original-Rcpt-To (else Removal-Recipient) fields name, else the original's To; an
 *   automatic reply is about the person who replied (its From); a bounce that names nobody is
 *   about the original's one To address, when it has exactly one. A message-level line that
 *   names one recipient goes to that recipient only. A recipient of a bounce for which the
 *   report has no words at all gets the words after its address (as its diagnostic), else
 *   every line of the text, as evidence without a code, so that rules on texts can explain
 *   it.
 *
 *   Words that mark an automatic reply or a delay are rows of auto_subjects[] and
 *   delay_words[]: a new language is new rows.
 * TRUST
 *   None: every header and line is a stranger's; values are cut at limits->max_line.
 */
#include "parser_priv.h"

#include <string.h>

/* Subjects of automatic replies (RFC 3834, out of office), caseless; prefix rows must start
 * the subject, the others may be anywhere in it. */
static const struct {
  const char *text;
  gboolean    prefix;
  const char *lang;   /* the language the subject is in, NULL when it does not tell */
} auto_subjects[] = {
  { "Out of Office", FALSE, "en" },
  { "Out of the Office", FALSE, "en" },
  { "Automatic reply", FALSE, "en" },
  { "Auto reply", FALSE, "en" },
  { "Autoreply", FALSE, "en" },
  { "Auto-Reply", FALSE, "en" },
  { "Auto:", TRUE, NULL },
  { "Vacation", FALSE, "en" },
  { "Away from", TRUE, "en" },
  { "Automatische Antwort", FALSE, "de" },
  { "Abwesenheitsnotiz", FALSE, "de" },
  { "Abwesenheit", TRUE, "de" },
  { "Réponse automatique", FALSE, "fr" },
  { "Absence", TRUE, NULL },
  { "Risposta automatica", FALSE, "it" },
  { "Respuesta automática", FALSE, "es" },
  { "Automatisch antwoord", FALSE, "nl" },
};

/* Words that make a report with only 4xx codes a delay rather than a failure, caseless. */
static const char *const delay_words[] = {
  "delayed", "delay", "will retry", "will be retried", "still trying", "still be retried",
  "not yet been delivered", "has not been delivered yet", "retrying", "deferred",
  "verzögert", "noch nicht zugestellt", "wird weiter versucht", "erneut versucht",
};

/* Copies of message-level evidence made for all recipients together: a report with 1,000
 * code lines and 10,000 recipients must not become ten million items. */
#define EVIDENCE_COPIES(limits) \
  ((limits)->max_evidence > G_MAXUINT / 100u ? G_MAXUINT : (limits)->max_evidence * 100u)

/* Senders (local part, caseless) and subjects (anywhere, caseless) of delivery reports: without
 * one of them, or a report header, codes in a message's text do not make it a bounce. */
static const char *const report_senders[] = {
  "mailer-daemon", "postmaster", "mail-daemon", "maildaemon", "mailerdaemon", "mdaemon",
  "double-bounce", "bounce", "bounces", "microsoftexchange", "mail-delivery",
};

/* Subjects of reports that say a delivery failed; with no code to go by, they make a bounce. */
static const char *const failure_subjects[] = {
  "undeliver", "delivery failure", "delivery failed", "delivery has failed", "failure notice",
  "returned mail", "could not be delivered", "not delivered", "mail delivery failed",
  "unzustellbar", "nicht zustellbar", "unzustellbare", "non remis", "non distribuable",
  "no entregado", "non recapitato", "onbestelbaar", "(failure)",
};

/* Subjects of other delivery reports. */
static const char *const report_subjects[] = {
  "delivery status", "delivery notification", "mail delivery", "delayed mail",
  "delivery delayed", "(delay)", "zustellung", "rejected",
};

/* block_header - the first header called name in a header block, unfolded and decoded */
static char *
block_header (const char *block, const char *name, gsize max)
{
  gsize nlen = strlen (name);
  const char *cursor = block, *line;
  gsize len;
  gboolean seen = FALSE;
  g_autoptr(GString) v = NULL;
  while (ndr_text_next_line (&cursor, &line, &len)) {
    if (len == 0 || (len == 1 && line[0] == ' ')) {
      if (seen || v != NULL)
        break;                                      /* the end of the header block */
      continue;
    }
    seen = TRUE;
    if (line[0] == ' ' || line[0] == '\t') {
      if (v != NULL && v->len < max)
        g_string_append_len (v, line, (gssize) MIN (len, max - v->len));
      continue;
    }
    if (v != NULL)
      break;
    if (len > nlen && line[nlen] == ':' && g_ascii_strncasecmp (line, name, nlen) == 0)
      v = g_string_new_len (line + nlen + 1, (gssize) MIN (len - nlen - 1, max));
  }
  if (v == NULL)
    return NULL;
  g_autofree char *decoded = g_mime_utils_header_decode_text (NULL, v->str);
  for (char *p = decoded; *p != '\0'; p++)
    if (*p == '\t' || *p == '\r' || *p == '\n')
      *p = ' ';
  return ndr_text_trim_dup (decoded, strlen (decoded), max);
}

/* strip_angles - "<id@host>" -> "id@host", in place; returns s */
static char *
strip_angles (char *s)
{
  if (s == NULL)
    return NULL;
  gsize n = strlen (s);
  if (n >= 2 && s[0] == '<' && s[n - 1] == '>') {
    memmove (s, s + 1, n - 2);
    s[n - 2] = '\0';
  }
  return s;
}

/* original_from_block - fill the original's empty fields from a header block */
static void
original_from_block (NdrOriginal *o, const char *block, gsize max)
{
  if (block == NULL)
    return;
  if (o->message_id == NULL)
    o->message_id = strip_angles (block_header (block, "Message-ID", max));
  if (o->from == NULL)
    o->from = block_header (block, "From", max);
  if (o->to == NULL)
    o->to = block_header (block, "To", max);
  if (o->subject == NULL)
    o->subject = block_header (block, "Subject", max);
  if (o->date == NULL)
    o->date = block_header (block, "Date", max);
}

/* quoted_original - the text after the line that starts a quoted original, or NULL */
static const char *
quoted_original (const char *text)
{
  const char *cursor = text, *line;
  gsize len;
  while (ndr_text_next_line (&cursor, &line, &len))
    if (ndr_evidence_starts_original (line, len))
      return cursor;
  return NULL;
}

/* find_original - the original message's fields, from the best place that has them */
static void
find_original (NdrMessage *msg, const NdrParts *parts, const NdrLimits *limits)
{
  NdrOriginal *o = &msg->original;
  if (parts->original != NULL) {
    const char *id = g_mime_message_get_message_id (parts->original);
    if (o->message_id == NULL && id != NULL)
      o->message_id = ndr_text_trim_dup (id, strlen (id), limits->max_line);
    if (o->from == NULL)
      o->from = ndr_mime_header (parts->original, "From");
    if (o->to == NULL)
      o->to = ndr_mime_header (parts->original, "To");
    if (o->subject == NULL)
      o->subject = ndr_mime_header (parts->original, "Subject");
    if (o->date == NULL)
      o->date = ndr_mime_header (parts->original, "Date");
  }
  if (msg->original_headers == NULL && parts->original_headers != NULL)
    msg->original_headers = g_strdup (parts->original_headers);
  original_from_block (o, msg->original_headers, limits->max_line);
  if (o->message_id == NULL && o->from == NULL && o->subject == NULL && parts->text != NULL) {
    const char *q = quoted_original (parts->text);
    if (q != NULL)
      original_from_block (o, q, limits->max_line);
  }
}

/* contains_caseless - TRUE if needle occurs in hay, ASCII letters compared without case */
static gboolean
contains_caseless (const char *hay, const char *needle)
{
  if (hay == NULL)
    return FALSE;
  gsize n = strlen (needle);
  char first = g_ascii_tolower (needle[0]);
  for (const char *p = hay; *p != '\0'; p++)
    if (g_ascii_tolower (*p) == first && g_ascii_strncasecmp (p, needle, n) == 0)
      return TRUE;
  return FALSE;
}

/* header_is - TRUE if the report's header name contains one of the words (caseless) */
static gboolean
header_has (GMimeMessage *mime, const char *name, const char *word)
{
  g_autofree char *v = ndr_mime_header (mime, name);
  return v != NULL && (word == NULL || contains_caseless (v, word));
}

/* auto_subject - the row of auto_subjects[] the subject matches, or -1 */
static int
auto_subject (const char *subject)
{
  if (subject == NULL)
    return -1;
  for (gsize i = 0; i < G_N_ELEMENTS (auto_subjects); i++) {
    const char *t = auto_subjects[i].text;
    if (auto_subjects[i].prefix ? g_ascii_strncasecmp (subject, t, strlen (t)) == 0
                                : contains_caseless (subject, t))
      return (int) i;
  }
  return -1;
}

/* worst_class - the highest class (5, 4, 2) of any evidence of the message, 0 if none */
static int
worst_class (const NdrMessage *msg)
{
  int worst = 0;
  for (guint r = 0; r <= msg->recipients->len; r++) {
    GPtrArray *evs = r < msg->recipients->len
      ? ((NdrRecipient *) g_ptr_array_index (msg->recipients, r))->evidence : msg->evidence;
    for (guint i = 0; i < evs->len; i++) {
      const NdrEvidence *ev = g_ptr_array_index (evs, i);
      int c = ev->status != NULL ? ev->status[0] - '0' : ev->reply_code / 100;
      if (ev->status != NULL && ev->reply_code / 100 > c)
        c = ev->reply_code / 100;
      worst = MAX (worst, c);
    }
  }
  return worst;
}

/* dsn_kind - the kind the recipients' actions say, NONE if they say nothing */
static NdrKind
dsn_kind (const NdrMessage *msg)
{
  gboolean failed = FALSE, delayed = FALSE, done = FALSE, other = FALSE;
  for (guint i = 0; i < msg->recipients->len; i++) {
    const NdrRecipient *r = g_ptr_array_index (msg->recipients, i);
    const char *a = r->action;
    if (a == NULL)
      continue;
    if (g_ascii_strncasecmp (a, "failed", 6) == 0)
      failed = TRUE;
    else if (g_ascii_strncasecmp (a, "delayed", 7) == 0)
      delayed = TRUE;
    else if (g_ascii_strncasecmp (a, "delivered", 9) == 0
             || g_ascii_strncasecmp (a, "deliverable", 11) == 0   /* Postfix address probes */
             || g_ascii_strncasecmp (a, "relayed", 7) == 0
             || g_ascii_strncasecmp (a, "expanded", 8) == 0)
      done = TRUE;
    else
      other = TRUE;
  }
  if (failed)
    return NDR_KIND_BOUNCE;
  if (delayed)
    return NDR_KIND_DELAY;
  if (done && !other)
    return NDR_KIND_DELIVERED;
  return NDR_KIND_NONE;
}

/* says_delay - TRUE if the subject or the text speaks of a delay */
static gboolean
says_delay (const NdrMessage *msg, const NdrParts *parts)
{
  for (gsize i = 0; i < G_N_ELEMENTS (delay_words); i++)
    if (contains_caseless (msg->subject, delay_words[i])
        || contains_caseless (parts->text, delay_words[i]))
      return TRUE;
  return FALSE;
}

/* in_subject - TRUE if the subject holds one of the n words of table (caseless) */
static gboolean
in_subject (const NdrMessage *msg, const char *const *table, gsize n)
{
  for (gsize i = 0; i < n; i++)
    if (contains_caseless (msg->subject, table[i]))
      return TRUE;
  return FALSE;
}

/* report_sender_or_subject - TRUE if the sender or the subject is a delivery report's */
static gboolean
report_sender_or_subject (const NdrMessage *msg)
{
  for (gsize i = 0; i < G_N_ELEMENTS (report_senders); i++)
    if (contains_caseless (msg->from, report_senders[i]))
      return TRUE;
  return in_subject (msg, failure_subjects, G_N_ELEMENTS (failure_subjects))
    || in_subject (msg, report_subjects, G_N_ELEMENTS (report_subjects));
}

/* report_structure - TRUE if the report has a DSN part, is multipart/report, or names the
 * recipients that failed */
static gboolean
report_structure (const NdrParts *parts)
{
  return parts->dsn != NULL || header_has (parts->mime, "X-Failed-Recipients", NULL)
    || (parts->content_type != NULL
        && g_ascii_strcasecmp (parts->content_type, "multipart/report") == 0);
}

/* looks_like_report - TRUE if the message says it is a delivery report (structure, sender,
 * subject, Auto-Submitted), so that the codes in its text may decide its kind */
static gboolean
looks_like_report (const NdrMessage *msg, const NdrParts *parts)
{
  if (parts->mime == NULL || report_structure (parts) || report_sender_or_subject (msg))
    return TRUE;
  g_autofree char *auto_sub = ndr_mime_header (parts->mime, "Auto-Submitted");
  return auto_sub != NULL && g_ascii_strncasecmp (auto_sub, "no", 2) != 0;
}

/* subject_kind - with no code at all: the kind the subject (or X-Failed-Recipients) says */
static NdrKind
subject_kind (const NdrMessage *msg, const NdrParts *parts)
{
  if (in_subject (msg, delay_words, G_N_ELEMENTS (delay_words)))
    return NDR_KIND_DELAY;
  if (in_subject (msg, failure_subjects, G_N_ELEMENTS (failure_subjects))
      || header_has (parts->mime, "X-Failed-Recipients", NULL))
    return NDR_KIND_BOUNCE;
  return NDR_KIND_NONE;
}

/* is_auto_reply - TRUE if the report is an automatic reply rather than a bounce */
static gboolean
is_auto_reply (const NdrMessage *msg, const NdrParts *parts)
{
  if (parts->dsn != NULL || msg->kind != NDR_KIND_NONE)
    return FALSE;
  GMimeMessage *m = parts->mime;
  if (header_has (m, "X-Autoreply", NULL) || header_has (m, "X-Autorespond", NULL)
      || header_has (m, "Precedence", "auto_reply") || auto_subject (msg->subject) >= 0)
    return TRUE;
  if (header_has (m, "Auto-Submitted", "auto-replied")
      || header_has (m, "Auto-Submitted", "auto-generated"))
    return worst_class (msg) < 4                     /* a bounce carries 4xx or 5xx codes, */
      && !report_structure (parts) && !report_sender_or_subject (msg);   /* or says it is one */
  return FALSE;
}

/* decide_kind - set msg->kind (see the DESCRIPTION for the order) */
static void
decide_kind (NdrMessage *msg, const NdrParts *parts)
{
  if ((parts->report_type != NULL && g_ascii_strcasecmp (parts->report_type, "feedback-report") == 0)
      || parts->feedback != NULL) {
    msg->kind = NDR_KIND_FEEDBACK;
    return;
  }
  if (is_auto_reply (msg, parts)) {
    msg->kind = NDR_KIND_AUTO_REPLY;
    int row = auto_subject (msg->subject);
    if (msg->lang == NULL && row >= 0 && auto_subjects[row].lang != NULL)
      msg->lang = g_strdup (auto_subjects[row].lang);   /* the subject is all that tells */
    return;
  }
  NdrKind k = dsn_kind (msg);
  if (k != NDR_KIND_NONE) {
    msg->kind = k;
    return;
  }
  if (msg->kind != NDR_KIND_NONE)
    return;                                          /* what the format decided */
  if (!looks_like_report (msg, parts))
    return;                                          /* codes in a person's prose */
  int worst = worst_class (msg);
  if (worst == 5)
    msg->kind = NDR_KIND_BOUNCE;
  else if (worst == 4)
    msg->kind = says_delay (msg, parts) ? NDR_KIND_DELAY : NDR_KIND_BOUNCE;
  else if (worst == 0)
    msg->kind = subject_kind (msg, parts);
}

/* same_evidence - TRUE if both items say the same thing from the same place */
static gboolean
same_evidence (const NdrEvidence *a, const NdrEvidence *b)
{
  return a->source == b->source && a->reply_code == b->reply_code
    && g_strcmp0 (a->status, b->status) == 0 && g_strcmp0 (a->text, b->text) == 0;
}

/* evidence_key - a string that two items saying the same thing from the same place share */
static char *
evidence_key (const NdrEvidence *ev)
{
  return g_strdup_printf ("%d|%d|%s|%s", (int) ev->source, ev->reply_code,
                          ev->status != NULL ? ev->status : "", ev->text != NULL ? ev->text : "");
}

/* Recipients a report may have for its message-level lines to be routed by the addresses they
 * name (each line is compared with every address). */
#define ROUTED_RECIPIENTS 32u

/* names_other - TRUE if the line names another recipient of rcpts and not r: it is about them */
static gboolean
names_other (const NdrEvidence *ev, const NdrRecipient *r, const GPtrArray *rcpts)
{
  if (ev->text == NULL || rcpts->len < 2 || rcpts->len > ROUTED_RECIPIENTS)
    return FALSE;
  if (r->address != NULL && strstr (ev->text, r->address) != NULL)
    return FALSE;
  for (guint i = 0; i < rcpts->len; i++) {
    const NdrRecipient *o = g_ptr_array_index (rcpts, i);
    if (o != r && o->address != NULL && *o->address != '\0'
        && strstr (ev->text, o->address) != NULL)
      return TRUE;
  }
  return FALSE;
}

/* give_evidence - copy msg->evidence to r, skipping what r has of its own and lines about
 * another recipient, while *budget (copies left for the whole message) lasts; FALSE when it
 * ran out */
static gboolean
give_evidence (NdrRecipient *r, const GPtrArray *evs, const GPtrArray *rcpts, guint *budget,
               const NdrLimits *limits)
{
  guint own = r->evidence->len;
  g_autoptr(GHashTable) seen = NULL;
  if (own > 16) {                                   /* many of its own: look them up */
    seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    for (guint k = 0; k < own; k++)
      g_hash_table_add (seen, evidence_key (g_ptr_array_index (r->evidence, k)));
  }
  for (guint i = 0; i < evs->len && r->evidence->len < limits->max_evidence; i++) {
    const NdrEvidence *ev = g_ptr_array_index (evs, i);
    gboolean dup = FALSE;
    if (seen != NULL) {
      g_autofree char *key = evidence_key (ev);
      dup = g_hash_table_contains (seen, key);
    }
    for (guint k = 0; seen == NULL && k < own && !dup; k++)
      dup = same_evidence (ev, g_ptr_array_index (r->evidence, k));
    if (dup || names_other (ev, r, rcpts))
      continue;
    if (*budget == 0)
      return FALSE;
    (*budget)--;
    g_ptr_array_add (r->evidence, ndr_evidence_copy (ev));
  }
  return TRUE;
}

/* best_codes - fill r's empty status and reply code from its most authoritative evidence */
static void
best_codes (NdrRecipient *r)
{
  const NdrEvidence *bs = NULL, *br = NULL;
  for (guint i = 0; i < r->evidence->len; i++) {
    const NdrEvidence *ev = g_ptr_array_index (r->evidence, i);
    if (ev->status != NULL && (bs == NULL || ev->source < bs->source))
      bs = ev;
    if (ev->reply_code != 0 && (br == NULL || ev->source < br->source))
      br = ev;
  }
  if (r->status == NULL && bs != NULL)
    r->status = g_strdup (bs->status);
  if (r->reply_code == 0 && br != NULL)
    r->reply_code = br->reply_code;
}

/* header_evidence - codes in the report's Subject, as source header */
static void
header_evidence (NdrMessage *msg, const NdrLimits *limits)
{
  char status[16];
  int reply;
  if (msg->subject != NULL && ndr_evidence_parse_line (msg->subject, status, &reply)) {
    g_autofree char *text = g_strconcat ("Subject: ", msg->subject, NULL);
    g_autofree char *cut = ndr_text_clean_utf8 (text, -1, limits->max_line);
    ndr_evidence_add (msg->evidence, NDR_SOURCE_HEADER, status, reply, cut, limits);
  }
}

/* Fields of a feedback report (RFC 5965) that name the recipient of the reported message, in
 * the order they are believed: the first field that gives an address wins. */
static const char *const feedback_rcpt_fields[] = { "Original-Rcpt-To", "Removal-Recipient" };

/* add_mailboxes - add the mailboxes of an address list as recipients, at most max; the count */
static guint
add_mailboxes (NdrMessage *msg, const char *list, guint max, const NdrLimits *limits)
{
  if (list == NULL || max == 0)
    return 0;
  InternetAddressList *addrs = internet_address_list_parse (NULL, list);
  if (addrs == NULL)
    return 0;
  guint added = 0;
  int n = internet_address_list_length (addrs);
  for (int i = 0; i < n && added < max; i++) {
    InternetAddress *ia = internet_address_list_get_address (addrs, i);
    if (!INTERNET_ADDRESS_IS_MAILBOX (ia))
      continue;
    const char *addr = internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (ia));
    if (addr == NULL || strchr (addr, '@') == NULL)
      continue;
    g_autofree char *cut = ndr_text_clean_utf8 (addr, -1, limits->max_line);
    if (ndr_message_add_recipient (msg, cut, limits) == NULL)
      break;
    added++;
  }
  g_object_unref (addrs);
  return added;
}

/* count_mailboxes - how many mailboxes an address list names (groups not counted) */
static int
count_mailboxes (const char *list)
{
  if (list == NULL)
    return 0;
  InternetAddressList *addrs = internet_address_list_parse (NULL, list);
  if (addrs == NULL)
    return 0;
  int n = 0, len = internet_address_list_length (addrs);
  for (int i = 0; i < len; i++)
    n += INTERNET_ADDRESS_IS_MAILBOX (internet_address_list_get_address (addrs, i));
  g_object_unref (addrs);
  return n;
}

/* feedback_field - add the recipients a feedback report's field names; the count */
static guint
feedback_field (NdrMessage *msg, const char *report, const char *name, const NdrLimits *limits)
{
  gsize nlen = strlen (name);
  guint added = 0;
  const char *cursor = report, *line;
  gsize len;
  while (ndr_text_next_line (&cursor, &line, &len)) {
    if (len <= nlen || line[nlen] != ':' || g_ascii_strncasecmp (line, name, nlen) != 0)
      continue;
    g_autofree char *v = ndr_text_trim_dup (line + nlen + 1, len - nlen - 1, limits->max_line);
    g_autofree char *addr = ndr_text_strip_addr (v);
    if (addr == NULL || strchr (addr, '@') == NULL)
      continue;
    if (ndr_message_add_recipient (msg, addr, limits) == NULL)
      break;
    added++;
  }
  return added;
}

/* report_recipients - who a feedback report or an automatic reply is about: the recipients
 * the feedback report names (else the original's To, else one unknown recipient), or the
 * person whose mailbox replied */
static void
report_recipients (NdrMessage *msg, const NdrParts *parts, const NdrLimits *limits)
{
  if (msg->recipients->len > 0)
    return;
  if (msg->kind == NDR_KIND_AUTO_REPLY) {
    add_mailboxes (msg, msg->from, 1, limits);
    return;
  }
  if (msg->kind != NDR_KIND_FEEDBACK)
    return;
  for (gsize i = 0; parts->feedback != NULL && i < G_N_ELEMENTS (feedback_rcpt_fields); i++)
    if (feedback_field (msg, parts->feedback, feedback_rcpt_fields[i], limits) > 0)
      return;
  if (add_mailboxes (msg, msg->original.to, limits->max_recipients, limits) == 0)
    ndr_message_add_recipient (msg, NULL, limits);   /* the report is about someone */
}

/* Lines of a report's text that become code-less evidence for a recipient with no words of
 * its own, at most. */
#define PLAIN_LINES 40u

/* has_words - TRUE if r has a diagnostic or evidence with words beyond a DSN Status line */
static gboolean
has_words (const NdrRecipient *r)
{
  if (r->diagnostic != NULL)
    return TRUE;
  for (guint i = 0; i < r->evidence->len; i++) {
    const NdrEvidence *ev = g_ptr_array_index (r->evidence, i);
    if (ev->text != NULL && ev->source != NDR_SOURCE_DSN_STATUS && ev->source != NDR_SOURCE_HEADER)
      return TRUE;
  }
  return FALSE;
}

/* wordy - TRUE if the n bytes at s hold at least three letters */
static gboolean
wordy (const char *s, gsize n)
{
  guint letters = 0;
  for (gsize i = 0; i < n && letters < 3; i++)
    letters += g_ascii_isalpha (s[i]) || (guchar) s[i] >= 0x80;
  return letters >= 3;
}

/* is_label - TRUE if a line only announces what follows ("because:", "Reason:") */
static gboolean
is_label (const char *line, gsize len)
{
  while (len > 0 && g_ascii_isspace (line[len - 1]))
    len--;
  return len > 0 && line[len - 1] == ':';
}

/* after_address - the words the text puts after the line that names address: the rest of
 * that line, else the next paragraph (label lines skipped), joined; NULL if none */
static char *
after_address (const char *text, const char *address, const NdrLimits *limits)
{
  g_autoptr(GString) out = NULL;
  gboolean found = FALSE;
  const char *cursor = text, *line;
  gsize len;
  while (ndr_text_next_line (&cursor, &line, &len)) {
    if (ndr_evidence_starts_original (line, len) || (out != NULL && !wordy (line, len)))
      break;
    if (!found) {
      g_autofree char *l = g_strndup (line, MIN (len, limits->max_line));
      const char *at = strstr (l, address);
      if (at == NULL)
        continue;
      found = TRUE;
      const char *rest = at + strlen (address);
      rest += strspn (rest, ">:;,.) \t");
      if (wordy (rest, strlen (rest)))      /* the line says more than the address: take it */
        out = g_string_new (g_strstrip (l));
      continue;
    }
    if (!wordy (line, len) || is_label (line, len) || line[0] == '>')
      continue;
    if (out == NULL)
      out = g_string_new (NULL);
    else
      g_string_append_c (out, ' ');
    g_string_append_len (out, line, (gssize) len);
    if (out->len >= limits->max_line)
      break;
  }
  if (out == NULL)
    return NULL;
  return ndr_text_clean_utf8 (g_strstrip (out->str), -1, limits->max_line);
}

/* plain_lines - the lines of text with words, before the original, at most PLAIN_LINES */
static GPtrArray *
plain_lines (const char *text, const NdrLimits *limits)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);
  const char *cursor = text, *line;
  gsize len;
  while (text != NULL && lines->len < PLAIN_LINES && ndr_text_next_line (&cursor, &line, &len)) {
    if (ndr_evidence_starts_original (line, len))
      break;
    if (len > 0 && line[0] != '>' && wordy (line, len))
      g_ptr_array_add (lines, ndr_text_trim_dup (line, len, limits->max_line));
  }
  return lines;
}

/* words_for - give a recipient of a bounce whose report has no code for it the words of the
 * text: the paragraph after its address (also its diagnostic), else every line, as evidence
 * without a code, so that rules on texts can explain it */
static void
words_for (NdrRecipient *r, const char *text, GPtrArray **lines, guint *budget,
           const NdrLimits *limits)
{
  if (text == NULL || has_words (r))
    return;
  g_autofree char *near = r->address != NULL ? after_address (text, r->address, limits) : NULL;
  if (near != NULL) {
    ndr_evidence_add (r->evidence, NDR_SOURCE_BODY, NULL, 0, near, limits);
    r->diagnostic = g_steal_pointer (&near);
    return;
  }
  if (*lines == NULL)
    *lines = plain_lines (text, limits);
  for (guint i = 0; i < (*lines)->len && *budget > 0; i++, (*budget)--)
    ndr_evidence_add (r->evidence, NDR_SOURCE_BODY, NULL, 0, g_ptr_array_index (*lines, i),
                      limits);
}

/* prologue - the text before the first part of a multipart report in which GMime found no part
 * (its boundary never comes): such a report keeps everything there; NULL otherwise */
static char *
prologue (const NdrParts *parts, const NdrLimits *limits)
{
  if (parts->mime == NULL || parts->text != NULL || parts->html_text != NULL)
    return NULL;
  GMimeObject *top = g_mime_message_get_mime_part (parts->mime);
  if (top == NULL || !GMIME_IS_MULTIPART (top)
      || g_mime_multipart_get_count (GMIME_MULTIPART (top)) > 0)
    return NULL;
  const char *pro = g_mime_multipart_get_prologue (GMIME_MULTIPART (top));
  return pro != NULL ? ndr_text_clean_utf8 (pro, -1, limits->max_text) : NULL;
}

/* dsn_in_text - a report whose delivery-status fields were not found as a part (a broken
 * boundary) but stand in its text: read them from there, and the codes of that text */
static void
dsn_in_text (NdrMessage *msg, const NdrParts *parts, const NdrLimits *limits)
{
  if (parts->dsn != NULL || msg->recipients->len > 0 || !looks_like_report (msg, parts))
    return;
  g_autofree char *pro = prologue (parts, limits);
  const char *text = pro != NULL ? pro : parts->text;
  const char *cursor = text, *line, *start = NULL;
  gsize len;
  while (text != NULL && start == NULL && ndr_text_next_line (&cursor, &line, &len)) {
    if (ndr_evidence_starts_original (line, len))
      break;                                        /* the original's own report, if any */
    if ((len > 14 && g_ascii_strncasecmp (line, "Reporting-MTA:", 14) == 0)
        || (len > 16 && g_ascii_strncasecmp (line, "Final-Recipient:", 16) == 0))
      start = line;
  }
  if (start == NULL)
    return;
  ndr_dsn_parse (msg, start, limits);
  if (pro != NULL && msg->evidence->len == 0)
    ndr_evidence_scan (msg->evidence, NDR_SOURCE_BODY, pro, TRUE, limits);
}

/* recipients - make sure a bounce has a recipient, then share the evidence with each */
static void
recipients (NdrMessage *msg, const NdrParts *parts, const NdrLimits *limits)
{
  gboolean report = msg->kind == NDR_KIND_BOUNCE || msg->kind == NDR_KIND_DELAY;
  g_autofree char *failed = ndr_mime_header (parts->mime, "X-Failed-Recipients");
  if (report && msg->recipients->len == 0 && failed != NULL) {
    g_auto(GStrv) addrs = g_strsplit (failed, ",", (gint) limits->max_recipients);
    for (guint i = 0; addrs[i] != NULL; i++) {
      g_autofree char *addr = ndr_text_strip_addr (addrs[i]);
      if (addr != NULL)
        ndr_message_add_recipient (msg, addr, limits);
    }
  }
  if (report && msg->recipients->len == 0 && count_mailboxes (msg->original.to) == 1)
    add_mailboxes (msg, msg->original.to, 1, limits);   /* the one the original was sent to */
  if (report && msg->recipients->len == 0 && msg->evidence->len > 0)
    ndr_message_add_recipient (msg, NULL, limits);   /* the codes are about someone */
  guint budget = EVIDENCE_COPIES (limits);
  gboolean all = TRUE;
  const char *text = parts->text != NULL ? parts->text : parts->html_text;
  g_autoptr(GPtrArray) lines = NULL;
  for (guint i = 0; i < msg->recipients->len; i++) {
    NdrRecipient *r = g_ptr_array_index (msg->recipients, i);
    if (all)
      all = give_evidence (r, msg->evidence, msg->recipients, &budget, limits);
    if (report)
      words_for (r, text, &lines, &budget, limits);
    best_codes (r);
  }
  if (!all) {
    g_autofree char *e = g_strdup_printf ("the report's evidence was not copied to every "
                                          "recipient: over %u copies (100 x --max-evidence)",
                                          EVIDENCE_COPIES (limits));
    ndr_message_add_error (msg, e);
  }
}

/**
 * ndr_parse_finish:
 * @msg: the record, after the DSN part and the formats were read
 * @parts: what ndr_mime_collect() found (parts->mime may be NULL for unreadable bytes)
 * @limits: the limits in force
 *
 * Fills the original message, the kind, the MTA, and each recipient's evidence, status and
 * reply code.
 */
void
ndr_parse_finish (NdrMessage *msg, const NdrParts *parts, const NdrLimits *limits)
{
  g_return_if_fail (msg != NULL && parts != NULL && limits != NULL);
  find_original (msg, parts, limits);
  dsn_in_text (msg, parts, limits);
  decide_kind (msg, parts);
  if (msg->kind == NDR_KIND_BOUNCE || msg->kind == NDR_KIND_DELAY)
    header_evidence (msg, limits);
  if (msg->mta == NULL)
    msg->mta = g_strdup (parts->dsn != NULL ? "rfc3464" : "unknown");
  report_recipients (msg, parts, limits);
  recipients (msg, parts, limits);
}
