/*
 * NAME
 *   ndr_dsn.c - read a message/delivery-status part (RFC 3464) into recipients
 * DESCRIPTION
 *   ndr_dsn_parse() splits the part into groups at blank lines: the per-message group
 *   (Reporting-MTA) and one group per recipient (Final-Recipient, Original-Recipient,
 *   Action, Status, Remote-MTA, Diagnostic-Code, Last-Attempt-Date, Will-Retry-Until,
 *   X-Display-Name). Field names are caseless, folded lines are joined, CRLF and LF both
 *   work, and a report that forgets the blank line after the per-message group still
 *   works. Status adds evidence of source dsn-status, Diagnostic-Code of source
 *   dsn-diagnostic.
 * TRUST
 *   None: the part is a stranger's text. Every value is cut at limits->max_line, recipients
 *   stop at limits->max_recipients (ndr_message_add_recipient records the cut).
 */
#include "parser_priv.h"

#include <string.h>

/* The fields of one group, as we keep them. */
typedef enum {
  F_REPORTING_MTA,
  F_FINAL_RCPT,
  F_ORIG_RCPT,
  F_ACTION,
  F_STATUS,
  F_REMOTE_MTA,
  F_DIAGNOSTIC,
  F_LAST_ATTEMPT,
  F_RETRY_UNTIL,
  F_DISPLAY_NAME,
  F_COUNT
} Field;

static const char *const field_names[F_COUNT] = {
  [F_REPORTING_MTA] = "Reporting-MTA",
  [F_FINAL_RCPT] = "Final-Recipient",
  [F_ORIG_RCPT] = "Original-Recipient",
  [F_ACTION] = "Action",
  [F_STATUS] = "Status",
  [F_REMOTE_MTA] = "Remote-MTA",
  [F_DIAGNOSTIC] = "Diagnostic-Code",
  [F_LAST_ATTEMPT] = "Last-Attempt-Date",
  [F_RETRY_UNTIL] = "Will-Retry-Until",
  [F_DISPLAY_NAME] = "X-Display-Name",
};

typedef struct {
  GString *value[F_COUNT];   /* NULL when the field is absent */
  int      current;          /* field a continuation line belongs to, -1 for none we keep */
  gboolean any;              /* the group has at least one line */
} Group;

/* group_reset - forget every field of a group */
static void
group_reset (Group *g)
{
  for (int i = 0; i < F_COUNT; i++)
    if (g->value[i] != NULL) {
      g_string_free (g->value[i], TRUE);
      g->value[i] = NULL;
    }
  g->current = -1;
  g->any = FALSE;
}

/* append_cut - append len bytes of s to v, keeping v under max bytes */
static void
append_cut (GString *v, const char *s, gsize len, gsize max)
{
  if (v->len >= max)
    return;
  g_string_append_len (v, s, (gssize) MIN (len, max - v->len));
}

/* field_line - take one "Name: value" line or continuation into the group */
static void
field_line (Group *g, const char *line, gsize len, gsize max)
{
  if (line[0] == ' ' || line[0] == '\t') {          /* folded: continues the last field */
    if (g->current >= 0) {
      append_cut (g->value[g->current], " ", 1, max);
      while (len > 0 && (*line == ' ' || *line == '\t')) {
        line++;
        len--;
      }
      append_cut (g->value[g->current], line, len, max);
    }
    return;
  }
  g->any = TRUE;
  g->current = -1;
  const char *colon = memchr (line, ':', len);
  if (colon == NULL)
    return;
  gsize nlen = (gsize) (colon - line);
  while (nlen > 0 && (line[nlen - 1] == ' ' || line[nlen - 1] == '\t'))
    nlen--;
  for (int i = 0; i < F_COUNT; i++)
    if (strlen (field_names[i]) == nlen && g_ascii_strncasecmp (line, field_names[i], nlen) == 0) {
      if (g->value[i] != NULL)
        return;                                     /* the first one counts */
      g->value[i] = g_string_new (NULL);
      gsize rest = len - (gsize) (colon + 1 - line);
      append_cut (g->value[i], colon + 1, rest, max);
      g->current = i;
      return;
    }
}

/* value - the trimmed, cleaned value of a field, NULL if absent or empty (transfer full) */
static char *
value (const Group *g, Field f, gsize max)
{
  if (g->value[f] == NULL)
    return NULL;
  return ndr_text_trim_dup (g->value[f]->str, g->value[f]->len, max);
}

/* drop_type - the value without an "rfc822;", "dns;" or "smtp;" type prefix (transfer full) */
static char *
drop_type (char *v)
{
  if (v == NULL)
    return NULL;
  const char *semi = strchr (v, ';');
  if (semi == NULL || semi - v > 20 || memchr (v, ' ', (gsize) (semi - v)) != NULL)
    return v;
  char *rest = ndr_text_trim_dup (semi + 1, strlen (semi + 1), strlen (semi + 1));
  g_free (v);
  return rest;
}

/* take_recipient - turn a recipient group into an NdrRecipient with its evidence */
static void
take_recipient (NdrMessage *msg, const Group *g, const NdrLimits *limits)
{
  gsize max = limits->max_line;
  g_autofree char *final = value (g, F_FINAL_RCPT, max);
  g_autofree char *orig = value (g, F_ORIG_RCPT, max);
  g_autofree char *addr = ndr_text_strip_addr (final != NULL ? final : orig);
  NdrRecipient *r = ndr_message_add_recipient (msg, addr, limits);
  if (r == NULL)
    return;
  if (r->original_recipient == NULL && orig != NULL)
    r->original_recipient = ndr_text_strip_addr (orig);
  if (r->display_name == NULL)
    r->display_name = value (g, F_DISPLAY_NAME, max);
  if (r->action == NULL) {
    r->action = value (g, F_ACTION, max);
    if (r->action != NULL) {
      char *lower = g_ascii_strdown (r->action, -1);
      g_free (r->action);
      r->action = lower;
    }
  }
  if (r->remote_mta == NULL)
    r->remote_mta = drop_type (value (g, F_REMOTE_MTA, max));
  if (r->last_attempt_date == NULL)
    r->last_attempt_date = value (g, F_LAST_ATTEMPT, max);
  if (r->will_retry_until == NULL)
    r->will_retry_until = value (g, F_RETRY_UNTIL, max);

  char code[16];
  int reply;
  g_autofree char *status = value (g, F_STATUS, max);
  if (status != NULL && ndr_evidence_parse_line (status, code, &reply) && code[0] != '\0') {
    g_autofree char *text = g_strconcat ("Status: ", status, NULL);
    ndr_evidence_add (r->evidence, NDR_SOURCE_DSN_STATUS, code, 0, text, limits);
    if (r->status == NULL)
      r->status = g_strdup (code);
  }
  g_autofree char *diag = drop_type (value (g, F_DIAGNOSTIC, max));
  if (diag != NULL) {
    if (ndr_evidence_parse_line (diag, code, &reply))
      ndr_evidence_add (r->evidence, NDR_SOURCE_DSN_DIAGNOSTIC, code, reply, diag, limits);
    if (r->reply_code == 0)
      r->reply_code = reply;
    if (r->diagnostic == NULL)
      r->diagnostic = g_steal_pointer (&diag);
  }
}

/* end_group - take what a finished group says into msg */
static void
end_group (NdrMessage *msg, Group *g, const NdrLimits *limits)
{
  if (!g->any)
    return;
  if (msg->reporting_mta == NULL)
    msg->reporting_mta = drop_type (value (g, F_REPORTING_MTA, limits->max_line));
  if (g->value[F_FINAL_RCPT] != NULL || g->value[F_ORIG_RCPT] != NULL)
    take_recipient (msg, g, limits);
  group_reset (g);
}

/**
 * ndr_dsn_parse:
 * @msg: the message to fill
 * @dsn: (nullable): the decoded text of a message/delivery-status part
 * @limits: the limits in force
 *
 * Sets msg->reporting_mta and adds a recipient, with its dsn-status and dsn-diagnostic
 * evidence, for each per-recipient group. A recipient named twice is merged: the first value
 * of each field counts.
 */
void
ndr_dsn_parse (NdrMessage *msg, const char *dsn, const NdrLimits *limits)
{
  g_return_if_fail (msg != NULL && limits != NULL);
  if (dsn == NULL)
    return;
  Group g = { .current = -1 };
  const char *cursor = dsn, *line;
  gsize len;
  while (ndr_text_next_line (&cursor, &line, &len)) {
    gsize i = 0;
    while (i < len && (line[i] == ' ' || line[i] == '\t'))
      i++;
    if (i == len) {
      end_group (msg, &g, limits);
      continue;
    }
    if (i == 0 && g.value[F_FINAL_RCPT] != NULL && len > 16
        && g_ascii_strncasecmp (line, "Final-Recipient:", 16) == 0)
      end_group (msg, &g, limits);                  /* a group without its blank line */
    field_line (&g, line, len, limits->max_line);
  }
  end_group (msg, &g, limits);
}
