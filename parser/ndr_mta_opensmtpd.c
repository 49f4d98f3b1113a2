/*
 * NAME
 *   ndr_mta_opensmtpd.c - OpenSMTPD bounces and delay warnings, as a table
 * DESCRIPTION
 *   ndr_format_opensmtpd detects "This is the MAILER-DAEMON, please DO NOT REPLY to this
 *   e-mail." under the Subject "Delivery status notification: error" (or ": warning"). Its
 *   text lists one "rcpt@domain: reply" line per recipient after "An error has occurred
 *   while attempting to deliver a message for the following list of recipients:" or "A
 *   message is delayed for more than ... for the following list of recipients:", and stops
 *   at "Below is a copy of the original message:". Newer versions add a DSN part, which the
 *   table then completes.
 *
 *   Everything OpenSMTPD-specific is in the tables below; ndr_mta_table.c reads them.
 * TRUST
 *   As ndr_mta_table.c.
 */
#include "ndr_mta_table.h"

static const NdrMtaMarker opensmtpd_markers[] = {
  { NDR_MTA_IN_FROM,    "MAILER-DAEMON",                                      1, NULL },
  { NDR_MTA_IN_SUBJECT, "Delivery status notification: error",                2, NULL },
  { NDR_MTA_IN_SUBJECT, "Delivery status notification: warning",              2, NULL },
  { NDR_MTA_IN_BODY,    "This is the MAILER-DAEMON, please DO NOT REPLY to this",  3, NULL },
  { NDR_MTA_IN_BODY,    "while attempting to deliver a message for",          1, NULL },
  { NDR_MTA_IN_BODY,    "Below is a copy of the original message",            1, NULL },
};

static const NdrMtaLine opensmtpd_lines[] = {
  { NDR_MTA_STOP,   "^\\s*Below is a copy of the original message", NULL, NULL },
  { NDR_MTA_START,  "^\\s*An error has occurred while attempting to deliver a message",
    "failed", NULL },
  { NDR_MTA_START,  "^\\s*A message is delayed for more than", "delayed", NULL },
  { NDR_MTA_START,  "^\\s*Your message was successfully delivered", "delivered", NULL },
  { NDR_MTA_RCPT,   "^(?<addr>[^\\s<>@:]+@[^\\s<>:]+):\\s+(?<rest>\\S.*)$", NULL, NULL },
  { NDR_MTA_REPLY,  "^(?<reply>[245]\\d\\d[ -].*?)\\s*$", NULL, NULL },
};

static NdrMtaCache opensmtpd_cache;

static const NdrMtaTable opensmtpd_table = {
  .name = "opensmtpd",
  .markers = opensmtpd_markers,
  .n_markers = G_N_ELEMENTS (opensmtpd_markers),
  .threshold = 4,
  .lines = opensmtpd_lines,
  .n_lines = G_N_ELEMENTS (opensmtpd_lines),
  .join = TRUE,
  .action = "failed",
  .cache = &opensmtpd_cache,
};

/* detect - OpenSMTPD's greeting and Subject */
static gboolean
detect (const NdrMessage *msg, const NdrParts *parts)
{
  return ndr_mta_table_detect (&opensmtpd_table, msg, parts);
}

/* extract - read the "rcpt: reply" lines */
static void
extract (NdrMessage *msg, const NdrParts *parts, const NdrLimits *limits)
{
  ndr_mta_table_extract (&opensmtpd_table, msg, parts, limits);
}

const NdrFormat ndr_format_opensmtpd = { "opensmtpd", detect, extract };
