/*
 * NAME
 *   ndr_mta_qmail.c - qmail, netqmail and vpopmail bounces, as a table
 * DESCRIPTION
 *   ndr_format_qmail detects qmail-send's "Hi. This is the qmail-send program at ..." and
 *   reads each "<rcpt>:" paragraph after "I'm afraid I wasn't able to deliver ...": a line
 *   "Connected to 192.0.2.10 but ..." or "192.0.2.10 does not like recipient." names the
 *   remote host, "Remote host said: 550 ..." is its reply (continued on lines of the same
 *   code), and a local error such as vpopmail's "Sorry, no mailbox here by that name.
 *   (#5.1.1)" is qmail's own words. It stops at "--- Below this line is a copy of the
 *   message.".
 *
 *   Everything qmail-specific is in the tables below; ndr_mta_table.c reads them.
 * TRUST
 *   As ndr_mta_table.c.
 */
#include "ndr_mta_table.h"

static const NdrMtaMarker qmail_markers[] = {
  { NDR_MTA_IN_FROM,    "MAILER-DAEMON",                     1, NULL },
  { NDR_MTA_IN_SUBJECT, "failure notice",                    1, NULL },
  { NDR_MTA_IN_BODY,    "This is the qmail-send program",    4, NULL },
  { NDR_MTA_IN_BODY,    "I'm afraid I wasn't able to deliver your message to the following "
                        "addresses", 3, NULL },
  { NDR_MTA_IN_BODY,    "--- Below this line is a copy of the message", 1, NULL },
};

static const NdrMtaLine qmail_lines[] = {
  { NDR_MTA_STOP,     "^\\s*---\\s*(?:Below this line is|Enclosed is) a copy of the message",
    NULL, NULL },
  { NDR_MTA_REPORTER, "This is the qmail-send program at (?<host>[^\\s]+?)\\.?\\s*$", NULL, NULL },
  { NDR_MTA_START,    "^\\s*I'm afraid I wasn't able to deliver your message", "failed", NULL },
  { NDR_MTA_RCPT,     "^<(?<addr>[^<>\\s]+@[^<>\\s]+)>:\\s*$", NULL, NULL },
  { NDR_MTA_REPLY,    "^\\s*Remote host said:\\s*(?<reply>.*?)\\s*$", NULL, NULL },
  { NDR_MTA_HOST,     "^\\s*Connected to (?<host>[^\\s]+) but", NULL, NULL },
  { NDR_MTA_HOST,     "^\\s*(?<host>[0-9a-f.:]+) does not like recipient\\.", NULL, NULL },
  { NDR_MTA_HOST,     "^\\s*(?<host>[0-9a-f.:]+) failed after I sent the message\\.", NULL, NULL },
};

static NdrMtaCache qmail_cache;

static const NdrMtaTable qmail_table = {
  .name = "qmail",
  .markers = qmail_markers,
  .n_markers = G_N_ELEMENTS (qmail_markers),
  .threshold = 4,
  .lines = qmail_lines,
  .n_lines = G_N_ELEMENTS (qmail_lines),
  .join = FALSE,
  .action = "failed",
  .cache = &qmail_cache,
};

/* detect - qmail-send's greeting, or its apology with its headers */
static gboolean
detect (const NdrMessage *msg, const NdrParts *parts)
{
  return ndr_mta_table_detect (&qmail_table, msg, parts);
}

/* extract - read each "<rcpt>:" paragraph */
static void
extract (NdrMessage *msg, const NdrParts *parts, const NdrLimits *limits)
{
  ndr_mta_table_extract (&qmail_table, msg, parts, limits);
}

const NdrFormat ndr_format_qmail = { "qmail", detect, extract };
