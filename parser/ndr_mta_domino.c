/*
 * NAME
 *   ndr_mta_domino.c - IBM/HCL Domino (Lotus Notes) delivery failure reports, as a table
 * DESCRIPTION
 *   ndr_format_domino detects the Subject "DELIVERY FAILURE:" or "DELIVERY_FAILURE:" and
 *   the text "Your message ... was not delivered to: ADDRESS because: REASON", where the
 *   address and the reason are indented on the lines after their headings. Some servers
 *   write the same report in German ("wurde nicht zugestellt an:", "weil:").
 *
 *   Everything Domino-specific is in the tables below; ndr_mta_table.c reads them.
 * TRUST
 *   As ndr_mta_table.c.
 */
#include "ndr_mta_table.h"

static const NdrMtaMarker domino_markers[] = {
  { NDR_MTA_IN_SUBJECT, "DELIVERY FAILURE:",                  2, NULL },
  { NDR_MTA_IN_SUBJECT, "DELIVERY_FAILURE:",                  2, NULL },
  { NDR_MTA_IN_SUBJECT, "Unzustellbar:",                      1, "de" },
  { NDR_MTA_IN_BODY,    "was not delivered to:",              2, NULL },
  { NDR_MTA_IN_BODY,    "wurde nicht zugestellt an:",         2, "de" },
  { NDR_MTA_IN_BODY,    "Domino Directory",                   1, NULL },
  { NDR_MTA_IN_HEADER,  "X-Notes-Item",                       2, NULL },
};

static const NdrMtaLine domino_lines[] = {
  { NDR_MTA_START, "^\\s*was not delivered to:\\s*$", "failed", NULL },
  { NDR_MTA_START, "^\\s*wurde nicht zugestellt an:\\s*$", "failed", "de" },
  { NDR_MTA_RCPT,  "^\\s+(?:[^<>]*<)?(?<addr>[^\\s<>@:]+@[^\\s<>:]+?)>?\\s*$", NULL, NULL },
  { NDR_MTA_REPLY, "^\\s*(?:because|weil):\\s*(?<reply>.*?)\\s*$", NULL, NULL },
};

static NdrMtaCache domino_cache;

static const NdrMtaTable domino_table = {
  .name = "domino",
  .markers = domino_markers,
  .n_markers = G_N_ELEMENTS (domino_markers),
  .threshold = 4,
  .lines = domino_lines,
  .n_lines = G_N_ELEMENTS (domino_lines),
  .join = TRUE,
  .action = "failed",
  .cache = &domino_cache,
};

/* detect - Domino's Subject and its "was not delivered to:" */
static gboolean
detect (const NdrMessage *msg, const NdrParts *parts)
{
  return ndr_mta_table_detect (&domino_table, msg, parts);
}

/* extract - read the address after "was not delivered to:" and the reason after "because:" */
static void
extract (NdrMessage *msg, const NdrParts *parts, const NdrLimits *limits)
{
  ndr_mta_table_extract (&domino_table, msg, parts, limits);
}

const NdrFormat ndr_format_domino = { "domino", detect, extract };
