/*
 * NAME
 *   ndr_mta_mailfoundry.c - MailFoundry gateway bounces, as a table
 * DESCRIPTION
 *   ndr_format_mailfoundry detects the MailFoundry gateway: "Unable to deliver message to:
 *   <rcpt>", then "Delivery failed for the following reason:" and "Server mx.example.net
 *   [192.0.2.22] failed with: 550 ..." for the remote server's reply.
 *
 *   Everything specific to it is in the tables below; ndr_mta_table.c reads them.
 * TRUST
 *   As ndr_mta_table.c.
 */
#include "ndr_mta_table.h"

static const NdrMtaMarker mailfoundry_markers[] = {
  { NDR_MTA_IN_SUBJECT, "Message delivery has failed",                1, NULL },
  { NDR_MTA_IN_BODY,    "Unable to deliver message to: <",            2, NULL },
  { NDR_MTA_IN_BODY,    "Delivery failed for the following reason:",  2, NULL },
};

static const NdrMtaLine mailfoundry_lines[] = {
  { NDR_MTA_RCPT,  "^\\s*Unable to deliver message to:\\s*<(?<addr>[^<>\\s]+@[^<>\\s]+)>", NULL, NULL },
  { NDR_MTA_REPLY, "^\\s*Server (?<host>[^\\s\\[\\]]+)\\[[^\\]]*\\] failed with:\\s*(?<reply>.*?)\\s*$",
    NULL, NULL },
};

static NdrMtaCache mailfoundry_cache;

static const NdrMtaTable mailfoundry_table = {
  .name = "mailfoundry",
  .markers = mailfoundry_markers,
  .n_markers = G_N_ELEMENTS (mailfoundry_markers),
  .threshold = 4,
  .lines = mailfoundry_lines,
  .n_lines = G_N_ELEMENTS (mailfoundry_lines),
  .join = FALSE,
  .action = "failed",
  .cache = &mailfoundry_cache,
};

/* detect - its two headings */
static gboolean
detect (const NdrMessage *msg, const NdrParts *parts)
{
  return ndr_mta_table_detect (&mailfoundry_table, msg, parts);
}

/* extract - read the recipient and the server's reply */
static void
extract (NdrMessage *msg, const NdrParts *parts, const NdrLimits *limits)
{
  ndr_mta_table_extract (&mailfoundry_table, msg, parts, limits);
}

const NdrFormat ndr_format_mailfoundry = { "mailfoundry", detect, extract };
