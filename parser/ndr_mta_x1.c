/*
 * NAME
 *   ndr_mta_x1.c - an ISP relay that signs "Mail Deliver System" (the X1 family), as a table
 * DESCRIPTION
 *   ndr_format_x1 detects an ISP relay that signs as "Mail Deliver System" (sic) with the
 *   Subject "Returned Mail: ...": after "The original message was received at ..." each
 *   recipient stands on a line of its own with the reason in brackets, "rcpt [User unknown]",
 *   under "---The following addresses had delivery errors---" in newer versions.
 *
 *   Everything specific to it is in the tables below; ndr_mta_table.c reads them.
 * TRUST
 *   As ndr_mta_table.c.
 */
#include "ndr_mta_table.h"

static const NdrMtaMarker x1_markers[] = {
  { NDR_MTA_IN_FROM,    "Mail Deliver System",                           3, NULL },
  { NDR_MTA_IN_SUBJECT, "Returned Mail:",                                1, NULL },
  { NDR_MTA_IN_BODY,    "The original message was received at",          1, NULL },
  { NDR_MTA_IN_BODY,    "---The following addresses had delivery errors---", 3, NULL },
};

static const NdrMtaLine x1_lines[] = {
  { NDR_MTA_RCPT, "^\\s*(?<addr>[^\\s<>@\\[]+@[^\\s<>\\[]+)\\s+(?<rest>\\[[^\\]]+\\])\\s*$", NULL, NULL },
};

static NdrMtaCache x1_cache;

static const NdrMtaTable x1_table = {
  .name = "x1",
  .markers = x1_markers,
  .n_markers = G_N_ELEMENTS (x1_markers),
  .threshold = 4,
  .lines = x1_lines,
  .n_lines = G_N_ELEMENTS (x1_lines),
  .join = FALSE,
  .action = "failed",
  .cache = &x1_cache,
};

/* detect - its signature and Subject */
static gboolean
detect (const NdrMessage *msg, const NdrParts *parts)
{
  return ndr_mta_table_detect (&x1_table, msg, parts);
}

/* extract - read each "rcpt [reason]" line */
static void
extract (NdrMessage *msg, const NdrParts *parts, const NdrLimits *limits)
{
  ndr_mta_table_extract (&x1_table, msg, parts, limits);
}

const NdrFormat ndr_format_x1 = { "x1", detect, extract };
