/*
 * NAME
 *   ndr_mta_yahoo.c - Yahoo! Mail (and AOL, now on the same system) bounces, as a table
 * DESCRIPTION
 *   ndr_format_yahoo detects "Sorry, we were unable to deliver your message to the following
 *   address." under the Subject "Failure Notice": a qmail descendant that writes "<rcpt>:"
 *   on a line of its own, then the remote server's reply, either after "Remote host said:"
 *   (on the same or the next lines, with the SMTP stage in brackets, "[RCPT_TO]") or as
 *   "550: 5.1.1 ..." alone. Reading stops at "--- Below this line is a copy of the message.".
 *
 *   Everything Yahoo-specific is in the tables below; ndr_mta_table.c reads them.
 * TRUST
 *   As ndr_mta_table.c.
 */
#include "ndr_mta_table.h"

static const NdrMtaMarker yahoo_markers[] = {
  { NDR_MTA_IN_FROM,    "MAILER-DAEMON",                                        1, NULL },
  { NDR_MTA_IN_SUBJECT, "Failure Notice",                                       1, NULL },
  { NDR_MTA_IN_BODY,    "Sorry, we were unable to deliver your message to the following "
                        "address",                                              4, NULL },
  { NDR_MTA_IN_BODY,    "--- Below this line is a copy of the message",         1, NULL },
};

static const NdrMtaLine yahoo_lines[] = {
  { NDR_MTA_STOP,  "^\\s*---\\s*Below this line is a copy of the message", NULL, NULL },
  { NDR_MTA_START, "^\\s*Sorry, we were unable to deliver your message to the following address",
    "failed", NULL },
  { NDR_MTA_RCPT,  "^<(?<addr>[^<>\\s]+@[^<>\\s]+)>:\\s*(?<rest>.*)$", NULL, NULL },
  { NDR_MTA_REPLY, "^\\s*Remote host said:\\s*(?<reply>.*?)(?:\\s*\\[[A-Z_]+\\])?\\s*$",
    NULL, NULL },
  { NDR_MTA_REPLY, "^(?<reply>[245]\\d\\d\\b:?\\s.*?)(?:\\s*\\[[A-Z_]+\\])?\\s*$", NULL, NULL },
};

static NdrMtaCache yahoo_cache;

static const NdrMtaTable yahoo_table = {
  .name = "yahoo",
  .markers = yahoo_markers,
  .n_markers = G_N_ELEMENTS (yahoo_markers),
  .threshold = 4,
  .lines = yahoo_lines,
  .n_lines = G_N_ELEMENTS (yahoo_lines),
  .join = TRUE,
  .action = "failed",
  .cache = &yahoo_cache,
};

/* detect - Yahoo's apology */
static gboolean
detect (const NdrMessage *msg, const NdrParts *parts)
{
  return ndr_mta_table_detect (&yahoo_table, msg, parts);
}

/* extract - read each "<rcpt>:" paragraph */
static void
extract (NdrMessage *msg, const NdrParts *parts, const NdrLimits *limits)
{
  ndr_mta_table_extract (&yahoo_table, msg, parts, limits);
}

const NdrFormat ndr_format_yahoo = { "yahoo", detect, extract };
