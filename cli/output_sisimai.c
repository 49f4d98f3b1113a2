/*
 * NAME
 *   output_sisimai.c - `ndr parse --format sisimai`: one JSON object per recipient, as sisimai
 * DESCRIPTION
 *   ndr_sisimai_append_message() writes one line per recipient with the field names of
 *   sisimai's decoded records (action, addresser, alias, catch, deliverystatus, destination,
 *   diagnosticcode, diagnostictype, feedbacktype, hardbounce, lhost, listid, messageid,
 *   origin, reason, recipient, replycode, rhost, senderdomain, smtpagent, smtpcommand,
 *   subject, timestamp, timezoneoffset, token), so that a script written for sisimai can read
 *   ndr's output. Reason, status and hard bounce come from ndr_sisimai_view(); fields ndr
 *   does not know are empty strings, as sisimai leaves them. A message with no recipient
 *   writes nothing.
 * TRUST
 *   Every string is untrusted: it is written as valid UTF-8, with control characters,
 *   U+2028 and U+2029 escaped.
 */
#include <gmime/gmime.h>
#include <string.h>

#include "classify.h"
#include "commands.h"

/* The names sisimai gives the MTAs ndr recognises. */
static const struct { const char *mta, *agent; } agents[] = {
  { "o365", "Office365" },   { "exchange", "Exchange2007" }, { "postfix", "Postfix" },
  { "sendmail", "Sendmail" }, { "exim", "Exim" },           { "qmail", "qmail" },
  { "rfc3464", "RFC3464" },
};

/* put_string - a JSON string of untrusted text (NULL is written as "") */
static void
put_string (GString *out, const char *s)
{
  g_autofree char *valid = g_utf8_make_valid (s != NULL ? s : "", -1);
  g_string_append_c (out, '"');
  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p)) {
    gunichar c = g_utf8_get_char (p);
    if (c == '"' || c == '\\')
      g_string_append_printf (out, "\\%c", (char) c);
    else if (c < 0x20 || (c >= 0x7f && c < 0xa0) || c == 0x2028 || c == 0x2029)
      g_string_append_printf (out, "\\u%04x", c);
    else
      g_string_append_len (out, p, g_utf8_next_char (p) - p);
  }
  g_string_append_c (out, '"');
}

/* key - "name": string, with a comma before all but the first */
static void
key (GString *out, const char *name, const char *value)
{
  if (out->len > 0 && out->str[out->len - 1] != '{')
    g_string_append_c (out, ',');
  put_string (out, name);
  g_string_append_c (out, ':');
  put_string (out, value);
}

/* address_of - the bare address of "Name <a@b>" (transfer full) */
static char *
address_of (const char *s)
{
  if (s == NULL)
    return g_strdup ("");
  const char *lt = strrchr (s, '<'), *gt = lt != NULL ? strchr (lt, '>') : NULL;
  if (lt != NULL && gt != NULL)
    return g_strndup (lt + 1, (gsize) (gt - lt - 1));
  return g_strstrip (g_strdup (s));
}

/* domain_of - what follows the last @ ("" when none) */
static const char *
domain_of (const char *address)
{
  const char *at = address != NULL ? strrchr (address, '@') : NULL;
  return at != NULL ? at + 1 : "";
}

/* agent_of - sisimai's name for the MTA or kind of report */
static const char *
agent_of (const NdrMessage *msg)
{
  if (msg->kind == NDR_KIND_AUTO_REPLY)
    return "RFC3834";
  if (msg->kind == NDR_KIND_FEEDBACK)
    return "ARF";
  for (gsize i = 0; i < G_N_ELEMENTS (agents); i++)
    if (g_strcmp0 (msg->mta, agents[i].mta) == 0)
      return agents[i].agent;
  return "RFC3464";
}

/* put_time - "timestamp" (seconds since 1970) and "timezoneoffset" of the report's Date */
static void
put_time (GString *out, const char *date)
{
  g_autoptr(GDateTime) dt = date != NULL ? g_mime_utils_header_decode_date (date) : NULL;
  g_string_append (out, ",\"timestamp\":");
  if (dt == NULL) {
    g_string_append (out, "0");
    key (out, "timezoneoffset", "+0000");
    return;
  }
  g_string_append_printf (out, "%" G_GINT64_FORMAT, g_date_time_to_unix (dt));
  g_autofree char *tz = g_date_time_format (dt, "%z");
  key (out, "timezoneoffset", tz);
}

/* append_recipient - one line for one recipient */
static void
append_recipient (GString *out, const NdrMessage *msg, const NdrRecipient *rcpt)
{
  NdrSisimaiView v;
  ndr_sisimai_view (msg, rcpt, &v);
  g_autofree char *addresser = address_of (msg->original.from);
  g_autofree char *reply = v.replycode != 0 ? g_strdup_printf ("%d", v.replycode) : g_strdup ("");
  g_autofree char *msgid = address_of (msg->original.message_id);
  g_autoptr(GString) o = g_string_new ("{");
  key (o, "action", v.action);
  key (o, "addresser", addresser);
  key (o, "alias", rcpt->original_recipient);
  g_string_append (o, ",\"catch\":null");
  key (o, "deliverystatus", v.status);
  key (o, "destination", domain_of (rcpt->address));
  key (o, "diagnosticcode", rcpt->diagnostic);
  key (o, "diagnostictype", rcpt->diagnostic != NULL ? "SMTP" : "");
  key (o, "feedbacktype", msg->kind == NDR_KIND_FEEDBACK ? "abuse" : "");
  g_string_append_printf (o, ",\"hardbounce\":%s", v.hardbounce ? "true" : "false");
  key (o, "lhost", msg->reporting_mta);
  key (o, "listid", "");
  key (o, "messageid", msgid);
  key (o, "origin", msg->source);
  key (o, "reason", v.reason);
  key (o, "recipient", rcpt->address);
  key (o, "replycode", reply);
  key (o, "rhost", rcpt->remote_mta);
  key (o, "senderdomain", domain_of (addresser));
  key (o, "smtpagent", agent_of (msg));
  key (o, "smtpcommand", "");
  key (o, "subject", msg->original.subject);
  put_time (o, msg->date);
  key (o, "token", "");
  g_string_append (o, "}\n");
  g_string_append_len (out, o->str, (gssize) o->len);
}

/**
 * ndr_sisimai_append_message:
 * @out: where to append
 * @msg: a classified message
 *
 * Appends one JSON line per recipient of @msg with sisimai's field names.
 */
void
ndr_sisimai_append_message (GString *out, const NdrMessage *msg)
{
  g_return_if_fail (out != NULL && msg != NULL);
  for (guint i = 0; i < msg->recipients->len; i++)
    append_recipient (out, msg, g_ptr_array_index (msg->recipients, i));
}
