/*
 * NAME
 *   ndr_mta_imailserver.c - Ipswitch IMail Server bounces, as a table
 * DESCRIPTION
 *   ndr_format_imailserver detects Ipswitch IMail's "Undeliverable Mail" from Postmaster:
 *   one line names the failure and the recipient ("Unknown user: rcpt", "Delivery failed 20
 *   attempts: rcpt", "undeliverable to rcpt"), the remote's reply may follow "Body of
 *   message generated response:", and "Original message follows." ends the report.
 *
 *   Everything specific to it is in the tables below; ndr_mta_table.c reads them.
 * TRUST
 *   As ndr_mta_table.c.
 */
#include "ndr_mta_table.h"

static const NdrMtaMarker imailserver_markers[] = {
  { NDR_MTA_IN_SUBJECT, "Undeliverable Mail",                      1, NULL },
  { NDR_MTA_IN_FROM,    "Postmaster",                              1, NULL },
  { NDR_MTA_IN_BODY,    "Original message follows.",               2, NULL },
  { NDR_MTA_IN_BODY,    "Body of message generated response:",     2, NULL },
};

static const NdrMtaLine imailserver_lines[] = {
  { NDR_MTA_STOP,  "^\\s*Original message follows\\.", NULL, NULL },
  { NDR_MTA_RCPT,  "^\\s*(?<rest>Unknown user|undeliverable to|Delivery failed \\d+ attempts|"
                   "User mailbox exceeds allowed size|Mail rejected|Host not found|"
                   "Request timed out)\\s*:?\\s*<?(?<addr>[^\\s<>]+@[^\\s<>]+?)>?\\s*$", NULL, NULL },
  { NDR_MTA_REPLY, "^\\s*(?<reply>[245]\\d\\d[ -].*?)\\s*$", NULL, NULL },
};

static NdrMtaCache imailserver_cache;

static const NdrMtaTable imailserver_table = {
  .name = "imailserver",
  .markers = imailserver_markers,
  .n_markers = G_N_ELEMENTS (imailserver_markers),
  .threshold = 4,
  .lines = imailserver_lines,
  .n_lines = G_N_ELEMENTS (imailserver_lines),
  .join = FALSE,
  .action = "failed",
  .cache = &imailserver_cache,
};

/* detect - its Subject and closing line */
static gboolean
detect (const NdrMessage *msg, const NdrParts *parts)
{
  return ndr_mta_table_detect (&imailserver_table, msg, parts);
}

/* extract - read the line that names the recipient */
static void
extract (NdrMessage *msg, const NdrParts *parts, const NdrLimits *limits)
{
  ndr_mta_table_extract (&imailserver_table, msg, parts, limits);
}

const NdrFormat ndr_format_imailserver = { "imailserver", detect, extract };
