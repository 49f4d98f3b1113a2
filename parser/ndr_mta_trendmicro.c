/*
 * NAME
 *   ndr_mta_trendmicro.c - Trend Micro InterScan MSS bounces, as a table
 * DESCRIPTION
 *   ndr_format_trendmicro detects Trend Micro InterScan Messaging Security: a transcript
 *   between "..." lines where "Sent <<< RCPT TO:<rcpt>" names a recipient and
 *   "Received >>> 550 ..." is the remote server's reply; or, from newer versions ("Message from
 *   InterScan Messaging Security Suite"), one line "Unable to deliver message to <rcpt>".
 *
 *   Everything specific to it is in the tables below; ndr_mta_table.c reads them.
 * TRUST
 *   As ndr_mta_table.c.
 */
#include "ndr_mta_table.h"

static const NdrMtaMarker trendmicro_markers[] = {
  { NDR_MTA_IN_FROM,    "InterScan",                                2, NULL },
  { NDR_MTA_IN_BODY,    "Sent <<< RCPT TO:",                        2, NULL },
  { NDR_MTA_IN_BODY,    "Received >>> ",                            1, NULL },
  { NDR_MTA_IN_BODY,    "End of message",                           1, NULL },
  { NDR_MTA_IN_BODY,    "Message from InterScan Messaging Security", 4, NULL },
};

static const NdrMtaLine trendmicro_lines[] = {
  { NDR_MTA_STOP,  "^\\s*\\*+\\s*End of message\\s*\\*+", NULL, NULL },
  { NDR_MTA_RCPT,  "^\\s*Sent <<< RCPT TO:\\s*<(?<addr>[^<>\\s]+@[^<>\\s]+)>", NULL, NULL },
  { NDR_MTA_RCPT,  "^\\s*Unable to deliver message to <(?<addr>[^<>\\s]+@[^<>\\s]+)>", NULL, NULL },
  { NDR_MTA_REPLY, "^\\s*Received >>> (?<reply>.*?)\\s*$", NULL, NULL },
};

static NdrMtaCache trendmicro_cache;

static const NdrMtaTable trendmicro_table = {
  .name = "trendmicro",
  .markers = trendmicro_markers,
  .n_markers = G_N_ELEMENTS (trendmicro_markers),
  .threshold = 4,
  .lines = trendmicro_lines,
  .n_lines = G_N_ELEMENTS (trendmicro_lines),
  .join = FALSE,
  .action = "failed",
  .cache = &trendmicro_cache,
};

/* detect - InterScan's sender and transcript */
static gboolean
detect (const NdrMessage *msg, const NdrParts *parts)
{
  return ndr_mta_table_detect (&trendmicro_table, msg, parts);
}

/* extract - read the transcript */
static void
extract (NdrMessage *msg, const NdrParts *parts, const NdrLimits *limits)
{
  ndr_mta_table_extract (&trendmicro_table, msg, parts, limits);
}

const NdrFormat ndr_format_trendmicro = { "trendmicro", detect, extract };
