/*
 * NAME
 *   ndr_mta_outlook.c - Outlook.com / Hotmail DSNs, as a table
 * DESCRIPTION
 *   ndr_format_outlook detects the consumer Outlook.com / Hotmail service's own DSN (not
 *   Exchange Online's, which ndr_o365.c reads): "This is an automatically generated Delivery
 *   Status Notification." and "Delivery to the following recipients failed." (or "... has
 *   been delayed.") with the addresses indented under it, from a hotmail or outlook.com
 *   host. The DSN part that follows is read by ndr_dsn.c and completed here.
 *
 *   Everything specific to it is in the tables below; ndr_mta_table.c reads them.
 * TRUST
 *   As ndr_mta_table.c.
 */
#include "ndr_mta_table.h"

static const NdrMtaMarker outlook_markers[] = {
  { NDR_MTA_IN_FROM,    "hotmail.",                                             2, NULL },
  { NDR_MTA_IN_FROM,    "outlook.",                                             2, NULL },
  { NDR_MTA_IN_DSN,     "hotmail",                                              1, NULL },
  { NDR_MTA_IN_DSN,     "outlook.com",                                          1, NULL },
  { NDR_MTA_IN_BODY,    "Delivery to the following recipients failed.",         2, NULL },
  { NDR_MTA_IN_BODY,    "Delivery to the following recipients has been delayed.", 2, NULL },
};

static const NdrMtaLine outlook_lines[] = {
  { NDR_MTA_START, "^\\s*Delivery to the following recipients? failed\\.\\s*$", "failed", NULL },
  { NDR_MTA_START, "^\\s*Delivery to the following recipients? has been delayed\\.\\s*$", "delayed",
    NULL },
  { NDR_MTA_RCPT,  "^\\s+<?(?<addr>[^\\s<>@]+@[^\\s<>]+?)>?\\s*$", NULL, NULL },
};

static NdrMtaCache outlook_cache;

static const NdrMtaTable outlook_table = {
  .name = "outlook",
  .markers = outlook_markers,
  .n_markers = G_N_ELEMENTS (outlook_markers),
  .threshold = 4,
  .lines = outlook_lines,
  .n_lines = G_N_ELEMENTS (outlook_lines),
  .join = FALSE,
  .action = "failed",
  .cache = &outlook_cache,
};

/* detect - a Hotmail or Outlook.com sender with its heading */
static gboolean
detect (const NdrMessage *msg, const NdrParts *parts)
{
  return ndr_mta_table_detect (&outlook_table, msg, parts);
}

/* extract - read the indented addresses */
static void
extract (NdrMessage *msg, const NdrParts *parts, const NdrLimits *limits)
{
  ndr_mta_table_extract (&outlook_table, msg, parts, limits);
}

const NdrFormat ndr_format_outlook = { "outlook", detect, extract };
