/*
 * NAME
 *   ndr_mta_postfix.c - Postfix bounces and delay warnings, as a table
 * DESCRIPTION
 *   ndr_format_postfix detects Postfix by its introduction ("This is the mail system at host
 *   ...") or the X-Postfix-* fields of its DSN part, and reads the recipient list that
 *   follows "The mail system": "<rcpt> (expanded from <orig>): text" wrapped over indented
 *   lines, where "host mx.example.net[192.0.2.10] said: 550 ... (in reply to RCPT TO
 *   command)" is the remote server's reply. The per-recipient text is always Postfix's
 *   English; the introduction is a template that sites translate, so German templates
 *   have rows of their own.
 *
 *   Everything Postfix-specific is in the tables below; ndr_mta_table.c reads them.
 * TRUST
 *   As ndr_mta_table.c.
 */
#include "ndr_mta_table.h"

static const NdrMtaMarker postfix_markers[] = {
  { NDR_MTA_IN_FROM,    "MAILER-DAEMON",                        1, NULL },
  { NDR_MTA_IN_FROM,    "Mail Delivery System",                 1, NULL },
  { NDR_MTA_IN_SUBJECT, "Undelivered Mail Returned to Sender",  1, NULL },
  { NDR_MTA_IN_SUBJECT, "Delayed Mail (still being retried)",   1, NULL },
  { NDR_MTA_IN_SUBJECT, "Unzustellbare Nachricht",              1, "de" },
  { NDR_MTA_IN_BODY,    "The mail system",                      1, NULL },
  { NDR_MTA_IN_BODY,    "This is the mail system at host",      4, NULL },
  { NDR_MTA_IN_BODY,    "This is the Postfix program at host",  4, NULL },
  { NDR_MTA_IN_BODY,    "Dies ist das Mailsystem auf dem Rechner", 4, "de" },
  { NDR_MTA_IN_DSN,     "X-Postfix-Queue-ID:",                  4, NULL },
  { NDR_MTA_IN_DSN,     "X-Postfix-Sender:",                    4, NULL },
};

static const NdrMtaLine postfix_lines[] = {
  { NDR_MTA_REPORTER, "^\\s*This is the (?:mail system|Postfix program) at host (?<host>\\S+?)\\.?\\s*$",
    NULL, NULL },
  { NDR_MTA_REPORTER, "^\\s*Dies ist das Mailsystem auf dem Rechner (?<host>\\S+?)\\.?\\s*$",
    NULL, "de" },
  { NDR_MTA_ACTION,   "THIS IS A WARNING ONLY", "delayed", NULL },
  { NDR_MTA_ACTION,   "was successfully delivered to the destination", "delivered", NULL },
  { NDR_MTA_ACTION,   "DIES IST NUR EINE WARNUNG", "delayed", "de" },
  { NDR_MTA_START,    "^\\s*The (?:mail system|Postfix program)\\s*$", NULL, NULL },
  { NDR_MTA_START,    "^\\s*Das Mailsystem\\s*$", NULL, "de" },
  { NDR_MTA_RCPT,     "^<(?<addr>[^<>\\s]+@[^<>\\s]+)>"
                      "(?:\\s*\\(expanded from <(?<orig>[^<>\\s]*)>\\))?:\\s*(?<rest>.*)$", NULL, NULL },
  { NDR_MTA_REPLY,    "\\bhost (?<host>[^\\s\\[\\]]+)\\[[^\\]]*\\] said:\\s*"
                      "(?<reply>.*?)(?:\\s*\\(in reply to [^)]*\\))?\\s*$", NULL, NULL },
  { NDR_MTA_REPLY,    "\\bhost (?<host>[^\\s\\[\\]]+)\\[[^\\]]*\\] refused to talk to me:\\s*"
                      "(?<reply>.*)$", NULL, NULL },
  { NDR_MTA_HOST,     "\\b(?:host|connect to) (?<host>[^\\s\\[\\]]+)\\[[^\\]]*\\]", NULL, NULL },
};

static NdrMtaCache postfix_cache;

static const NdrMtaTable postfix_table = {
  .name = "postfix",
  .markers = postfix_markers,
  .n_markers = G_N_ELEMENTS (postfix_markers),
  .threshold = 4,
  .lines = postfix_lines,
  .n_lines = G_N_ELEMENTS (postfix_lines),
  .join = TRUE,
  .action = "failed",
  .cache = &postfix_cache,
};

/* detect - Postfix's introduction or DSN fields, or its headers with its signature */
static gboolean
detect (const NdrMessage *msg, const NdrParts *parts)
{
  return ndr_mta_table_detect (&postfix_table, msg, parts);
}

/* extract - read the recipient list after "The mail system" */
static void
extract (NdrMessage *msg, const NdrParts *parts, const NdrLimits *limits)
{
  ndr_mta_table_extract (&postfix_table, msg, parts, limits);
}

const NdrFormat ndr_format_postfix = { "postfix", detect, extract };
