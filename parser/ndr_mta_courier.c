/*
 * NAME
 *   ndr_mta_courier.c - Courier mail server delivery status notifications, as a table
 * DESCRIPTION
 *   ndr_format_courier detects "This is a delivery status notification from HOST, running
 *   the Courier mail server". Its text lists "<rcpt>:" under "Your message to the following
 *   recipients cannot be delivered:" (or, for a delay, "... has not yet been delivered"), then
 *   the remote host ("mx.example.net [192.0.2.10]:"), and the SMTP dialogue, ">>> RCPT TO:"
 *   for our side and "<<< 550 ..." for the remote's reply. The DSN part that follows is read
 *   by ndr_dsn.c; the table completes its recipients.
 *
 *   Everything Courier-specific is in the tables below; ndr_mta_table.c reads them.
 * TRUST
 *   As ndr_mta_table.c.
 */
#include "ndr_mta_table.h"

static const NdrMtaMarker courier_markers[] = {
  { NDR_MTA_IN_SUBJECT, "NOTICE: mail delivery status",              1, NULL },
  { NDR_MTA_IN_BODY,    "running the Courier mail server",           4, NULL },
  { NDR_MTA_IN_BODY,    "This is a delivery status notification from", 1, NULL },
};

static const NdrMtaLine courier_lines[] = {
  { NDR_MTA_REPORTER, "^\\s*This is a delivery status notification from (?<host>[^\\s,]+?)\\.?,?\\s*$",
    NULL, NULL },
  { NDR_MTA_START,    "^\\s*Your message to the following recipients? cannot be delivered",
    "failed", NULL },
  { NDR_MTA_START,    "^\\s*Your message to the following recipients? has not (?:yet )?been "
                      "delivered", "delayed", NULL },
  { NDR_MTA_START,    "^\\s*DELAYED MAIL\\s*$", "delayed", NULL },
  { NDR_MTA_RCPT,     "^<(?<addr>[^<>\\s]+@[^<>\\s]+)>:?\\s*$", NULL, NULL },
  { NDR_MTA_REPLY,    "^<<<\\s*(?<reply>.*?)\\s*$", NULL, NULL },
  { NDR_MTA_HOST,     "^\\s+(?<host>[a-z0-9][a-z0-9.-]*) \\[[0-9a-f.:]+\\]:\\s*$", NULL, NULL },
};

static NdrMtaCache courier_cache;

static const NdrMtaTable courier_table = {
  .name = "courier",
  .markers = courier_markers,
  .n_markers = G_N_ELEMENTS (courier_markers),
  .threshold = 4,
  .lines = courier_lines,
  .n_lines = G_N_ELEMENTS (courier_lines),
  .join = FALSE,
  .action = "failed",
  .cache = &courier_cache,
};

/* detect - Courier's introduction */
static gboolean
detect (const NdrMessage *msg, const NdrParts *parts)
{
  return ndr_mta_table_detect (&courier_table, msg, parts);
}

/* extract - read each "<rcpt>:" with its host and SMTP dialogue */
static void
extract (NdrMessage *msg, const NdrParts *parts, const NdrLimits *limits)
{
  ndr_mta_table_extract (&courier_table, msg, parts, limits);
}

const NdrFormat ndr_format_courier = { "courier", detect, extract };
