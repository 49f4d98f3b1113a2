/*
 * NAME
 *   ndr_mta_barracuda.c - Barracuda Spam Firewall notices, as a table
 * DESCRIPTION
 *   ndr_format_barracuda detects the Barracuda Spam Firewall's notice ("**Message you sent
 *   blocked by our bulk email filter**", "(Spam Firewall)" in its DSN part or quoted
 *   Received line). The recipients come from its DSN part; the text adds nothing but a
 *   possible "Your message to: rcpt" line.
 *
 *   Everything specific to it is in the tables below; ndr_mta_table.c reads them.
 * TRUST
 *   As ndr_mta_table.c.
 */
#include "ndr_mta_table.h"

static const NdrMtaMarker barracuda_markers[] = {
  { NDR_MTA_IN_SUBJECT, "Message you sent blocked by our bulk email filter", 4, NULL },
  { NDR_MTA_IN_BODY,    "(Spam Firewall)",                                   2, NULL },
  { NDR_MTA_IN_DSN,     "barracuda",                                         2, NULL },
};

static const NdrMtaLine barracuda_lines[] = {
  { NDR_MTA_RCPT, "^\\s*Your message to:\\s*<?(?<addr>[^\\s<>@]+@[^\\s<>]+?)>?\\s*$", NULL, NULL },
};

static NdrMtaCache barracuda_cache;

static const NdrMtaTable barracuda_table = {
  .name = "barracuda",
  .markers = barracuda_markers,
  .n_markers = G_N_ELEMENTS (barracuda_markers),
  .threshold = 4,
  .lines = barracuda_lines,
  .n_lines = G_N_ELEMENTS (barracuda_lines),
  .join = FALSE,
  .action = "failed",
  .cache = &barracuda_cache,
};

/* detect - its Subject */
static gboolean
detect (const NdrMessage *msg, const NdrParts *parts)
{
  return ndr_mta_table_detect (&barracuda_table, msg, parts);
}

/* extract - complete the DSN part's recipients */
static void
extract (NdrMessage *msg, const NdrParts *parts, const NdrLimits *limits)
{
  ndr_mta_table_extract (&barracuda_table, msg, parts, limits);
}

const NdrFormat ndr_format_barracuda = { "barracuda", detect, extract };
