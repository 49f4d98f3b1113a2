/*
 * NAME
 *   output_json.c - one NdrMessage as one JSON object, keys in a fixed order
 * DESCRIPTION
 *   ndr_json_append_message() writes the object docs/json-schema.md describes, either on one
 *   line (NDJSON, `ndr parse --json`) or pretty, one key a line (the corpus goldens).
 *   Absent strings are null; absent lists are []. Fields are only ever added, at the end of
 *   their object, never renamed or moved.
 *
 *   The writer is ours rather than json-glib's generator: JsonGenerator 1.6 prints 0.9 as
 *   0.90000000000000002 and copies invalid UTF-8 through, and building a JsonNode tree per
 *   message costs more than the parse of a small bounce.
 * TRUST
 *   Every string is untrusted: it is written as valid UTF-8 (a bad byte becomes U+FFFD),
 *   with every C0 and C1 control, DEL, U+2028 and U+2029 escaped as \uXXXX.
 */
#include "output.h"

#include <math.h>
#include <string.h>

#define MAX_NESTING 16   /* deepest object/array nesting the schema has is 5 */

typedef struct {
  GString *out;
  gboolean pretty;
  guint depth;                    /* open objects and arrays */
  gboolean first[MAX_NESTING];    /* nothing written yet at this depth */
} Writer;

/* newline - in pretty mode, end the line and indent to the current depth */
static void
newline (Writer *w)
{
  if (!w->pretty)
    return;
  g_string_append_c (w->out, '\n');
  for (guint i = 0; i < w->depth; i++)
    g_string_append (w->out, "  ");
}

/* put_escaped - append s as a JSON string literal, valid UTF-8, controls escaped */
static void
put_escaped (GString *out, const char *s)
{
  const char *p = s;
  g_string_append_c (out, '"');
  while (*p != '\0') {
    const char *run = p;
    while ((guchar) *p >= 0x20 && (guchar) *p < 0x7f && *p != '"' && *p != '\\')
      p++;                                              /* plain ASCII: copied in one go */
    g_string_append_len (out, run, p - run);
    if (*p == '\0')
      break;
    gunichar c = g_utf8_get_char_validated (p, -1);
    if (c == (gunichar) -1 || c == (gunichar) -2) {
      g_string_append (out, "\xef\xbf\xbd");           /* U+FFFD for a bad byte */
      p++;
      continue;
    }
    p = g_utf8_next_char (p);
    if (c == '"')
      g_string_append (out, "\\\"");
    else if (c == '\\')
      g_string_append (out, "\\\\");
    else if (c == '\n')
      g_string_append (out, "\\n");
    else if (c == '\r')
      g_string_append (out, "\\r");
    else if (c == '\t')
      g_string_append (out, "\\t");
    else if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029)
      g_string_append_printf (out, "\\u%04x", c);
    else
      g_string_append_unichar (out, c);
  }
  g_string_append_c (out, '"');
}

/* key - start a member or array element: comma, line, and "name": when name is set */
static void
key (Writer *w, const char *name)
{
  if (!w->first[w->depth])
    g_string_append_c (w->out, ',');
  w->first[w->depth] = FALSE;
  if (w->depth > 0)
    newline (w);                                      /* the top value starts where it is */
  if (name != NULL) {                                /* our own literal: nothing to escape */
    g_string_append_c (w->out, '"');
    g_string_append (w->out, name);
    g_string_append (w->out, w->pretty ? "\": " : "\":");
  }
}

/* push - start an object or array (c is '{' or '[') under name */
static void
push (Writer *w, const char *name, char c)
{
  key (w, name);
  g_string_append_c (w->out, c);
  g_assert (w->depth + 1 < MAX_NESTING);
  w->depth++;
  w->first[w->depth] = TRUE;
}

/* pop - end the object or array opened last (c is '}' or ']') */
static void
pop (Writer *w, char c)
{
  gboolean empty = w->first[w->depth];
  g_assert (w->depth > 0);
  w->depth--;
  if (!empty)
    newline (w);
  g_string_append_c (w->out, c);
}

/* str - a string member, null when s is NULL */
static void
str (Writer *w, const char *name, const char *s)
{
  key (w, name);
  if (s == NULL)
    g_string_append (w->out, "null");
  else
    put_escaped (w->out, s);
}

/* num - an integer member */
static void
num (Writer *w, const char *name, gint64 n)
{
  key (w, name);
  g_string_append_printf (w->out, "%" G_GINT64_FORMAT, n);
}

/* null_or_int - an integer member, null when n is 0 (no code) */
static void
null_or_int (Writer *w, const char *name, gint64 n)
{
  if (n == 0)
    str (w, name, NULL);
  else
    num (w, name, n);
}

/* boolean - a true/false member */
static void
boolean (Writer *w, const char *name, gboolean b)
{
  key (w, name);
  g_string_append (w->out, b ? "true" : "false");
}

/* real - a number member with three significant digits; null when not finite */
static void
real (Writer *w, const char *name, double d)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  key (w, name);
  if (!isfinite (d))
    g_string_append (w->out, "null");
  else
    g_string_append (w->out, g_ascii_formatd (buf, sizeof buf, "%.3g", d));
}

/* evidence_list - an array of NdrEvidence under name */
static void
evidence_list (Writer *w, const char *name, const GPtrArray *list)
{
  push (w, name, '[');
  for (guint i = 0; list != NULL && i < list->len; i++) {
    const NdrEvidence *ev = g_ptr_array_index (list, i);
    push (w, NULL, '{');
    str (w, "source", ndr_source_name (ev->source));
    str (w, "status", ev->status);
    null_or_int (w, "reply_code", ev->reply_code);
    str (w, "text", ev->text);
    pop (w, '}');
  }
  pop (w, ']');
}

/* sections - the O365 sections object */
static void
sections (Writer *w, const NdrMessage *msg)
{
  push (w, "sections", '{');
  str (w, "user_text", msg->user_text);
  str (w, "admin_text", msg->admin_text);
  push (w, "hops", '[');
  for (guint i = 0; msg->hops != NULL && i < msg->hops->len; i++) {
    const NdrHop *hop = g_ptr_array_index (msg->hops, i);
    push (w, NULL, '{');
    str (w, "hop", hop->hop);
    str (w, "time", hop->time);
    str (w, "from", hop->from);
    str (w, "to", hop->to);
    str (w, "with", hop->with);
    str (w, "relay_time", hop->relay_time);
    pop (w, '}');
  }
  pop (w, ']');
  str (w, "original_headers", msg->original_headers);
  pop (w, '}');
}

/* original - the original message object */
static void
original (Writer *w, const NdrOriginal *orig)
{
  push (w, "original", '{');
  str (w, "message_id", orig->message_id);
  str (w, "from", orig->from);
  str (w, "to", orig->to);
  str (w, "subject", orig->subject);
  str (w, "date", orig->date);
  pop (w, '}');
}

/* recipient - one recipient object: parser fields, classify fields, then later additions */
static void
recipient (Writer *w, const NdrRecipient *r)
{
  gboolean classified = r->category != NULL;
  push (w, NULL, '{');
  str (w, "address", r->address);
  str (w, "action", r->action);
  str (w, "status", r->status);
  null_or_int (w, "reply_code", r->reply_code);
  str (w, "remote_mta", r->remote_mta);
  str (w, "diagnostic", r->diagnostic);
  evidence_list (w, "evidence", r->evidence);
  str (w, "category", r->category);
  str (w, "outcome", r->outcome);
  if (classified)
    boolean (w, "permanent", r->permanent);
  else
    str (w, "permanent", NULL);
  str (w, "owner", r->owner);
  str (w, "rule", r->rule);
  if (classified)
    real (w, "confidence", r->confidence);
  else
    str (w, "confidence", NULL);
  str (w, "hint", r->hint);
  str (w, "fix", r->fix);
  push (w, "misleading", '[');
  for (guint i = 0; r->misleading != NULL && i < r->misleading->len; i++)
    str (w, NULL, g_ptr_array_index (r->misleading, i));
  pop (w, ']');
  str (w, "sisimai_reason", r->sisimai_reason);
  str (w, "decided_by", r->decided_by);
  str (w, "original_recipient", r->original_recipient);
  str (w, "display_name", r->display_name);
  str (w, "last_attempt_date", r->last_attempt_date);
  str (w, "will_retry_until", r->will_retry_until);
  pop (w, '}');
}

/**
 * ndr_json_append_message:
 * @out: where to append
 * @msg: the message
 * @pretty: one key a line, indented by two spaces; otherwise all on one line
 *
 * Appends the JSON object of @msg, without a final line end.
 */
void
ndr_json_append_message (GString *out, const NdrMessage *msg, gboolean pretty)
{
  g_return_if_fail (out != NULL && msg != NULL);
  Writer w = { .out = out, .pretty = pretty, .depth = 0, .first = { TRUE } };
  push (&w, NULL, '{');
  str (&w, "source", msg->source);
  str (&w, "kind", ndr_kind_name (msg->kind));
  str (&w, "error", msg->error);
  str (&w, "mta", msg->mta);
  str (&w, "lang", msg->lang);
  str (&w, "reporting_mta", msg->reporting_mta);
  str (&w, "date", msg->date);
  sections (&w, msg);
  original (&w, &msg->original);
  push (&w, "recipients", '[');
  for (guint i = 0; msg->recipients != NULL && i < msg->recipients->len; i++)
    recipient (&w, g_ptr_array_index (msg->recipients, i));
  pop (&w, ']');
  str (&w, "subject", msg->subject);
  str (&w, "from", msg->from);
  num (&w, "size", (gint64) msg->size);
  evidence_list (&w, "evidence", msg->evidence);
  pop (&w, '}');
  g_assert (w.depth == 0);
}

/**
 * ndr_json_render_message:
 * @msg: the message
 * @pretty: as for ndr_json_append_message()
 *
 * Returns: (transfer full): the JSON object of @msg, without a final line end.
 */
char *
ndr_json_render_message (const NdrMessage *msg, gboolean pretty)
{
  g_return_val_if_fail (msg != NULL, NULL);
  GString *out = g_string_sized_new (4096);
  ndr_json_append_message (out, msg, pretty);
  return g_string_free (out, FALSE);
}
