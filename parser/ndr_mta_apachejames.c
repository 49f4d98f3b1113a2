/*
 * NAME
 *   ndr_mta_apachejames.c - Apache James bounces, as a table
 * DESCRIPTION
 *   ndr_format_apachejames detects Apache James's bounce: "Error message below:" with the
 *   remote reply on the next line, then "Message details:" with indented fields, of which
 *   "RCPT TO: rcpt" names the recipient.
 *
 *   Everything specific to it is in the tables below; ndr_mta_table.c reads them.
 * TRUST
 *   As ndr_mta_table.c.
 */
#include "ndr_mta_table.h"

static const NdrMtaMarker apachejames_markers[] = {
  { NDR_MTA_IN_BODY,    "Error message below:",                 2, NULL },
  { NDR_MTA_IN_BODY,    "Message details:",                     1, NULL },
  { NDR_MTA_IN_BODY,    "RCPT TO:",                             1, NULL },
  { NDR_MTA_IN_HEADER,  "X-James-Postmaster",                   2, NULL },
};

static const NdrMtaLine apachejames_lines[] = {
  { NDR_MTA_RCPT,  "^\\s*RCPT TO:\\s*<?(?<addr>[^\\s<>@]+@[^\\s<>]+?)>?\\s*$", NULL, NULL },
  { NDR_MTA_SKIP,  "^\\s*(?:From|CC|Subject|Sent date|MAIL FROM|Size \\(in bytes\\)|Number of lines):",
    NULL, NULL },
  { NDR_MTA_REPLY, "^\\s*(?<reply>[245]\\d\\d\\s*[- ]\\s*\\S.*?)\\s*$", NULL, NULL },
};

static NdrMtaCache apachejames_cache;

static const NdrMtaTable apachejames_table = {
  .name = "apachejames",
  .markers = apachejames_markers,
  .n_markers = G_N_ELEMENTS (apachejames_markers),
  .threshold = 4,
  .lines = apachejames_lines,
  .n_lines = G_N_ELEMENTS (apachejames_lines),
  .join = FALSE,
  .action = "failed",
  .cache = &apachejames_cache,
};

/* detect - its two headings */
static gboolean
detect (const NdrMessage *msg, const NdrParts *parts)
{
  return ndr_mta_table_detect (&apachejames_table, msg, parts);
}

/* extract - read "RCPT TO:" and the reply under "Error message below:" */
static void
extract (NdrMessage *msg, const NdrParts *parts, const NdrLimits *limits)
{
  ndr_mta_table_extract (&apachejames_table, msg, parts, limits);
}

const NdrFormat ndr_format_apachejames = { "apachejames", detect, extract };
