/*
 * NAME
 *   ndr_mta_mailmarshal.c - MailMarshal gateway bounces, as a table
 * DESCRIPTION
 *   ndr_format_mailmarshal detects the MailMarshal gateway's "Undeliverable Mail" report:
 *   "Your message: From: ... Subject: ...", "Could not be delivered because of" and the
 *   reason, "The following recipients were affected:" and the recipients indented one a
 *   line, then "Additional Information" with the sender and the MTAs, which ends the list.
 *
 *   Everything specific to it is in the tables below; ndr_mta_table.c reads them.
 * TRUST
 *   As ndr_mta_table.c.
 */
#include "ndr_mta_table.h"

static const NdrMtaMarker mailmarshal_markers[] = {
  { NDR_MTA_IN_SUBJECT, "Undeliverable Mail",                        1, NULL },
  { NDR_MTA_IN_BODY,    "Could not be delivered because of",         2, NULL },
  { NDR_MTA_IN_BODY,    "The following recipients were affected:",   2, NULL },
};

static const NdrMtaLine mailmarshal_lines[] = {
  { NDR_MTA_STOP,  "^\\s*Additional Information\\s*$", NULL, NULL },
  { NDR_MTA_START, "^\\s*Could not be delivered because of\\s*$", "failed", NULL },
  { NDR_MTA_START, "^\\s*The following recipients were affected:", "failed", NULL },
  { NDR_MTA_RCPT,  "^\\s+<?(?<addr>[^\\s<>@]+@[^\\s<>]+?)>?\\s*$", NULL, NULL },
};

static NdrMtaCache mailmarshal_cache;

static const NdrMtaTable mailmarshal_table = {
  .name = "mailmarshal",
  .markers = mailmarshal_markers,
  .n_markers = G_N_ELEMENTS (mailmarshal_markers),
  .threshold = 4,
  .lines = mailmarshal_lines,
  .n_lines = G_N_ELEMENTS (mailmarshal_lines),
  .join = FALSE,
  .action = "failed",
  .cache = &mailmarshal_cache,
};

/* detect - its two headings */
static gboolean
detect (const NdrMessage *msg, const NdrParts *parts)
{
  return ndr_mta_table_detect (&mailmarshal_table, msg, parts);
}

/* extract - read the recipients after "were affected:" */
static void
extract (NdrMessage *msg, const NdrParts *parts, const NdrLimits *limits)
{
  ndr_mta_table_extract (&mailmarshal_table, msg, parts, limits);
}

const NdrFormat ndr_format_mailmarshal = { "mailmarshal", detect, extract };
