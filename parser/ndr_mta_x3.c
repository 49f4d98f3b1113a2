/*
 * NAME
 *   ndr_mta_x3.c - relays writing "Technical details:" under Mail.Delivery.System (X3), as a table
 * DESCRIPTION
 *   ndr_format_x3 detects a relay that writes "This is an automatically generated Delivery
 *   Status Notification." from "Mail Delivery System <Mail.Delivery.System@...>": the
 *   recipients follow "Delivery to the following recipients failed permanently:" (or "...
 *   was aborted after N hour(s):", spelt "Delevery" by some versions) as "* rcpt", and the
 *   remote reply follows "Technical details:" as "SMTP:RCPT host 192.0.2.8: 553 ...".
 *   It is tried after Gmail's table, whose wording is close.
 *
 *   Everything specific to it is in the tables below; ndr_mta_table.c reads them.
 * TRUST
 *   As ndr_mta_table.c.
 */
#include "ndr_mta_table.h"

static const NdrMtaMarker x3_markers[] = {
  { NDR_MTA_IN_FROM,    "Mail.Delivery.System@",                               3, NULL },
  { NDR_MTA_IN_SUBJECT, "Delivery status notification",                        1, NULL },
  { NDR_MTA_IN_BODY,    "Technical details:",                                  1, NULL },
  { NDR_MTA_IN_BODY,    "to the following recipients was aborted after",       1, NULL },
};

static const NdrMtaLine x3_lines[] = {
  { NDR_MTA_START, "^\\s*Del[ei]very to the following recipients? failed permanently:", "failed",
    NULL },
  { NDR_MTA_START, "^\\s*Del[ei]very to the following recipients? was aborted after", "failed",
    NULL },
  { NDR_MTA_RCPT,  "^\\s*\\*\\s+<?(?<addr>[^\\s<>@]+@[^\\s<>]+?)>?\\s*$", NULL, NULL },
  { NDR_MTA_REPLY, "^\\s*SMTP:\\w+ host (?<host>[^\\s:]+):\\s*(?<reply>.*?)\\s*$", NULL, NULL },
};

static NdrMtaCache x3_cache;

static const NdrMtaTable x3_table = {
  .name = "x3",
  .markers = x3_markers,
  .n_markers = G_N_ELEMENTS (x3_markers),
  .threshold = 4,
  .lines = x3_lines,
  .n_lines = G_N_ELEMENTS (x3_lines),
  .join = FALSE,
  .action = "failed",
  .cache = &x3_cache,
};

/* detect - its sender and headings */
static gboolean
detect (const NdrMessage *msg, const NdrParts *parts)
{
  return ndr_mta_table_detect (&x3_table, msg, parts);
}

/* extract - read each "* rcpt" and the SMTP reply */
static void
extract (NdrMessage *msg, const NdrParts *parts, const NdrLimits *limits)
{
  ndr_mta_table_extract (&x3_table, msg, parts, limits);
}

const NdrFormat ndr_format_x3 = { "x3", detect, extract };
