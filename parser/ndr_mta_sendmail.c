/*
 * NAME
 *   ndr_mta_sendmail.c - Sendmail bounces and delay warnings, as a table
 * DESCRIPTION
 *   ndr_format_sendmail detects Sendmail by its headings ("----- The following addresses had
 *   permanent fatal errors -----", "----- Transcript of session follows -----") and reads
 *   the recipient list ("<rcpt>", then "(reason: 550 ...)") and the SMTP transcript: "...
 *   while talking to mx.example.net.:" names the remote host for the lines after it,
 *   ">>> RCPT To:<rcpt>" opens the recipient's part, "<<< 550 ..." is the remote server's
 *   reply, and an unprefixed "550 5.1.1 <rcpt>... User unknown" is Sendmail's own line (it
 *   names the recipient too, which is all the older V5 transcripts have).
 *
 *   Everything Sendmail-specific is in the tables below; ndr_mta_table.c reads them.
 * TRUST
 *   As ndr_mta_table.c.
 */
#include "ndr_mta_table.h"

static const NdrMtaMarker sendmail_markers[] = {
  { NDR_MTA_IN_FROM,    "MAILER-DAEMON",                              1, NULL },
  { NDR_MTA_IN_FROM,    "Mail Delivery Subsystem",                    1, NULL },
  { NDR_MTA_IN_SUBJECT, "Returned mail: see transcript for details",  1, NULL },
  { NDR_MTA_IN_SUBJECT, "Warning: could not send message for past",   1, NULL },
  { NDR_MTA_IN_BODY,    "The original message was received at",       1, NULL },
  { NDR_MTA_IN_BODY,    "----- The following addresses had permanent fatal errors -----", 4, NULL },
  { NDR_MTA_IN_BODY,    "----- The following addresses had transient",                4, NULL },
  { NDR_MTA_IN_BODY,    "----- Transcript of session follows -----",  4, NULL },
};

static const NdrMtaLine sendmail_lines[] = {
  { NDR_MTA_STOP,   "^\\s*-+\\s*(?:Original message|Unsent message|Message header|"
                    "Returned message|Message body suppressed)\\b", NULL, NULL },
  { NDR_MTA_ACTION, "THIS IS A WARNING MESSAGE ONLY", "delayed", NULL },
  { NDR_MTA_START,  "^\\s*-+\\s*The following addresses? had permanent fatal errors\\s*-+",
    "failed", NULL },
  { NDR_MTA_START,  "^\\s*-+\\s*The following addresses? had transient (?:non-fatal )?errors\\s*-+",
    "delayed", NULL },
  { NDR_MTA_START,  "^\\s*-+\\s*Transcript of session follows\\s*-+", NULL, NULL },
  { NDR_MTA_RCPT,   "^\\s*<(?<addr>[^<>\\s]+@[^<>\\s]+)>(?:\\.\\.\\.\\s*(?<rest>.*?))?\\s*$", NULL, NULL },
  { NDR_MTA_RCPT,   "^>>>\\s*RCPT\\s+TO:\\s*<(?<addr>[^<>\\s]+@[^<>\\s]+)>", NULL, NULL },
  { NDR_MTA_RCPT,   "^[245]\\d\\d(?:[ -][245]\\.\\d{1,3}\\.\\d{1,3})?\\s+<(?<addr>[^<>\\s]+@[^<>\\s]+)>"
                    "\\.\\.\\.\\s*(?<rest>.*?)\\s*$", NULL, NULL },
  { NDR_MTA_REPLY,  "^<<<\\s*(?<reply>.*?)\\s*$", NULL, NULL },
  { NDR_MTA_REPLY,  "^\\s*\\(reason:\\s*(?<reply>.*?)\\)?\\s*$", NULL, NULL },
  { NDR_MTA_HOST,   "^(?:\\.\\.\\.\\s*)?while talking to (?<host>[^\\s:]+?)\\.?:\\s*$", NULL, NULL },
};

static NdrMtaCache sendmail_cache;

static const NdrMtaTable sendmail_table = {
  .name = "sendmail",
  .markers = sendmail_markers,
  .n_markers = G_N_ELEMENTS (sendmail_markers),
  .threshold = 4,
  .lines = sendmail_lines,
  .n_lines = G_N_ELEMENTS (sendmail_lines),
  .join = FALSE,
  .action = "failed",
  .cache = &sendmail_cache,
};

/* detect - one of Sendmail's dashed headings */
static gboolean
detect (const NdrMessage *msg, const NdrParts *parts)
{
  return ndr_mta_table_detect (&sendmail_table, msg, parts);
}

/* extract - read the address list and the transcript */
static void
extract (NdrMessage *msg, const NdrParts *parts, const NdrLimits *limits)
{
  ndr_mta_table_extract (&sendmail_table, msg, parts, limits);
}

const NdrFormat ndr_format_sendmail = { "sendmail", detect, extract };
