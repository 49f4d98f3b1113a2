/*
 * NAME
 *   ndr_mta_sendgrid.c - SendGrid bounces, as a table
 * DESCRIPTION
 *   ndr_format_sendgrid detects SendGrid's bounce ("This is an automatically generated
 *   message from SendGrid.", X-SendGrid-QueueID in the DSN part). One line per recipient
 *   gives "local:id:<rcpt> : sending IP : mx.example.net:[192.0.2.10] : reply"; the DSN part
 *   is read by ndr_dsn.c and completed here.
 *
 *   Everything specific to it is in the tables below; ndr_mta_table.c reads them.
 * TRUST
 *   As ndr_mta_table.c.
 */
#include "ndr_mta_table.h"

static const NdrMtaMarker sendgrid_markers[] = {
  { NDR_MTA_IN_BODY,    "automatically generated message from SendGrid", 4, NULL },
  { NDR_MTA_IN_DSN,     "X-SendGrid-QueueID:",                           4, NULL },
  { NDR_MTA_IN_HEADER,  "X-SendGrid-QueueID",                            4, NULL },
};

static const NdrMtaLine sendgrid_lines[] = {
  { NDR_MTA_RCPT,  "^\\s*[^\\s:<>]*:[^\\s:<>]*:<(?<addr>[^<>\\s]+@[^<>\\s]+)>\\s*:\\s*(?<rest>.*?)\\s*$",
    NULL, NULL },
  { NDR_MTA_REPLY, ":\\s*(?<host>[^\\s:\\[\\]]+):\\[[^\\]]*\\]\\s*:\\s*(?<reply>[245]\\d\\d\\b.*?)\\s*$",
    NULL, NULL },
};

static NdrMtaCache sendgrid_cache;

static const NdrMtaTable sendgrid_table = {
  .name = "sendgrid",
  .markers = sendgrid_markers,
  .n_markers = G_N_ELEMENTS (sendgrid_markers),
  .threshold = 4,
  .lines = sendgrid_lines,
  .n_lines = G_N_ELEMENTS (sendgrid_lines),
  .join = TRUE,
  .action = "failed",
  .cache = &sendgrid_cache,
};

/* detect - SendGrid's words or queue field */
static gboolean
detect (const NdrMessage *msg, const NdrParts *parts)
{
  return ndr_mta_table_detect (&sendgrid_table, msg, parts);
}

/* extract - read the per-recipient line */
static void
extract (NdrMessage *msg, const NdrParts *parts, const NdrLimits *limits)
{
  ndr_mta_table_extract (&sendgrid_table, msg, parts, limits);
}

const NdrFormat ndr_format_sendgrid = { "sendgrid", detect, extract };
