/*
 * NAME
 *   ndr_mta_exim.c - Exim bounces and delay warnings, as a table
 * DESCRIPTION
 *   ndr_format_exim detects Exim by "This message was created automatically by mail delivery
 *   software" (or its X-Failed-Recipients header with its usual From and Subject) and reads
 *   the list after "The following address(es) failed:": each address indented by two
 *   spaces, its error indented by four and wrapped, where "host mx.example.net
 *   [192.0.2.10]: 550 ..." or "SMTP error from remote mail server after RCPT TO:<rcpt>: 550
 *   ..." is the remote server's reply. Exim writes no DSN part unless configured to; the
 *   text is then all there is. It stops at "------ This is a copy of the message ...".
 *
 *   Everything Exim-specific is in the tables below; ndr_mta_table.c reads them.
 * TRUST
 *   As ndr_mta_table.c.
 */
#include "ndr_mta_table.h"

static const NdrMtaMarker exim_markers[] = {
  { NDR_MTA_IN_FROM,    "MAILER-DAEMON",                  1, NULL },
  { NDR_MTA_IN_FROM,    "Mail Delivery System",           1, NULL },
  { NDR_MTA_IN_SUBJECT, "Mail delivery failed",           1, NULL },
  { NDR_MTA_IN_SUBJECT, "Warning: message",               1, NULL },
  { NDR_MTA_IN_HEADER,  "X-Failed-Recipients",            2, NULL },
  { NDR_MTA_IN_BODY,    "This message was created automatically by mail delivery software", 4,
    NULL },
  { NDR_MTA_IN_SUBJECT, "Mail failure - malformed recipient address", 2, NULL },
  { NDR_MTA_IN_BODY,    "incorrectly constructed:",                2, NULL },
};

static const NdrMtaLine exim_lines[] = {
  { NDR_MTA_STOP,     "^\\s*-{3,}\\s*This is a copy of (?:the|your) message", NULL, NULL },
  { NDR_MTA_STOP,     "^\\s*-{3,}\\s*The body of the message is", NULL, NULL },
  { NDR_MTA_ACTION,   "has not yet been delivered to one or more of its", "delayed", NULL },
  { NDR_MTA_REPORTER, "on the queue on (?<host>[a-z0-9][a-z0-9.-]*?)\\.?\\s*$", NULL, NULL },
  { NDR_MTA_START,    "^(?:.*\\bfollowing\\s+)?address(?:\\(es\\)|es)? failed:\\s*$",
    "failed", NULL },
  { NDR_MTA_START,    "^\\s*The address(?:\\(es\\)|es)? to which the message has not yet been "
                      "delivered (?:is|are):\\s*$", "delayed", NULL },
  { NDR_MTA_START,    "^A message that you sent contained one or more recipient addresses", "failed",
    NULL },
  { NDR_MTA_RCPT,     "^ {1,3}(?<addr>[^\\s<>@:]+@[^\\s<>:]+?)(?: <[^>]*>)?:\\s+"
                      "(?<rest>malformed address\\b.*?)\\s*$", NULL, NULL },
  { NDR_MTA_RCPT,     "^ {1,3}<?(?<addr>[^\\s<>@:]+@[^\\s<>:]+?)>?:?"
                      "(?:\\s+\\((?:ultimately )?generated from (?<orig>[^)\\s]*)\\))?\\s*$", NULL, NULL },
  { NDR_MTA_REPLY,    "\\bhost (?<host>[^\\s\\[\\]]+) \\[[^\\]]+\\](?::\\d+)?:\\s*"
                      "(?<reply>[245]\\d\\d\\b.*?)\\s*$", NULL, NULL },
  { NDR_MTA_REPLY,    "SMTP error from remote (?:mail server|mailer|server) after [^:<]*"
                      "(?::\\s*<[^>]*>)?(?:\\s+SIZE=\\d+)?:\\s*(?<reply>[245]\\d\\d\\b.*?)\\s*$",
    NULL, NULL },
  { NDR_MTA_HOST,     "\\bhost (?<host>[^\\s\\[\\]]+) \\[[^\\]]+\\]", NULL, NULL },
};

static NdrMtaCache exim_cache;

static const NdrMtaTable exim_table = {
  .name = "exim",
  .markers = exim_markers,
  .n_markers = G_N_ELEMENTS (exim_markers),
  .threshold = 4,
  .lines = exim_lines,
  .n_lines = G_N_ELEMENTS (exim_lines),
  .join = TRUE,
  .action = "failed",
  .cache = &exim_cache,
};

/* detect - Exim's first sentence, or X-Failed-Recipients with its From and Subject */
static gboolean
detect (const NdrMessage *msg, const NdrParts *parts)
{
  return ndr_mta_table_detect (&exim_table, msg, parts);
}

/* extract - read the failed (or delayed) addresses and their errors */
static void
extract (NdrMessage *msg, const NdrParts *parts, const NdrLimits *limits)
{
  ndr_mta_table_extract (&exim_table, msg, parts, limits);
}

const NdrFormat ndr_format_exim = { "exim", detect, extract };
