/*
 * NAME
 *   ndr_mta_gmail.c - Gmail and Google Workspace bounces and delay notices, as a table
 * DESCRIPTION
 *   ndr_format_gmail detects the reports of mailer-daemon@googlemail.com: the older plain
 *   layout ("Delivery to the following recipient failed permanently:", the address indented
 *   on a line of its own, "Technical details of permanent failure:" and the remote server's
 *   reply after "The error that the other server returned was:") and the newer one ("**
 *   Address not found **", "Your message wasn't delivered to ... because ...", "The response
 *   from the remote server was:"). The newer one usually carries a DSN part, which the
 *   table then only completes. Reading stops at "----- Original message -----".
 *
 *   Everything Gmail-specific is in the tables below; ndr_mta_table.c reads them.
 * TRUST
 *   As ndr_mta_table.c.
 */
#include "ndr_mta_table.h"

static const NdrMtaMarker gmail_markers[] = {
  { NDR_MTA_IN_FROM,    "mailer-daemon@googlemail.",                      2, NULL },
  { NDR_MTA_IN_FROM,    "Mail Delivery Subsystem",                        1, NULL },
  { NDR_MTA_IN_SUBJECT, "Delivery Status Notification",                   1, NULL },
  { NDR_MTA_IN_HEADER,  "X-Gm-Message-State",                             1, NULL },
  { NDR_MTA_IN_BODY,    "Delivery to the following recipient",            1, NULL },
  { NDR_MTA_IN_BODY,    "Technical details of permanent failure",         2, NULL },
  { NDR_MTA_IN_BODY,    "Technical details of temporary failure",         2, NULL },
  { NDR_MTA_IN_BODY,    "Google tried to deliver your message",           4, NULL },
  { NDR_MTA_IN_BODY,    "** Address not found **",                        2, NULL },
  { NDR_MTA_IN_BODY,    "** Message not delivered **",                    2, NULL },
  { NDR_MTA_IN_BODY,    "** Message blocked **",                          2, NULL },
  { NDR_MTA_IN_BODY,    "** Delivery incomplete **",                      2, NULL },
  { NDR_MTA_IN_BODY,    "support.google.com/mail",                        1, NULL },
};

static const NdrMtaLine gmail_lines[] = {
  { NDR_MTA_STOP,   "^\\s*-{3,}\\s*Original message\\s*-{3,}", NULL, NULL },
  { NDR_MTA_ACTION, "THIS IS A WARNING MESSAGE ONLY", "delayed", NULL },
  { NDR_MTA_ACTION, "^\\s*\\*\\*\\s*Delivery incomplete\\s*\\*\\*", "delayed", NULL },
  { NDR_MTA_START,  "^\\s*Delivery to the following recipients? failed permanently:",
    "failed", NULL },
  { NDR_MTA_START,  "^\\s*Delivery to the following recipients? (?:has been delayed|failed "
                    "temporarily):", "delayed", NULL },
  { NDR_MTA_RCPT,   "^\\s+<?(?<addr>[^\\s<>@:]+@[^\\s<>:]+?)>?\\s*$", NULL, NULL },
  { NDR_MTA_RCPT,   "^\\s*Your message wasn'?t delivered to <?(?<addr>[^\\s<>@]+@[^\\s<>]+?)>? "
                    "because", NULL, NULL },
  { NDR_MTA_RCPT,   "^\\s*There was a temporary problem delivering your message to "
                    "<?(?<addr>[^\\s<>@]+@[^\\s<>]+?)>?\\.", NULL, NULL },
  { NDR_MTA_REPLY,  "The error that the other server returned was:\\s*(?<reply>.*?)\\s*$",
    NULL, NULL },
  { NDR_MTA_REPLY,  "^\\s*The response (?:from the remote server )?was:\\s*(?<reply>\\S.*?)\\s*$",
    NULL, NULL },
  { NDR_MTA_REPLY,  "^\\s*(?<reply>[245]\\d\\d[ -][245]\\.\\d{1,3}\\.\\d{1,3}\\b.*?)\\s*$",
    NULL, NULL },
};

static NdrMtaCache gmail_cache;

static const NdrMtaTable gmail_table = {
  .name = "gmail",
  .markers = gmail_markers,
  .n_markers = G_N_ELEMENTS (gmail_markers),
  .threshold = 4,
  .lines = gmail_lines,
  .n_lines = G_N_ELEMENTS (gmail_lines),
  .join = FALSE,
  .action = "failed",
  .cache = &gmail_cache,
};

/* detect - Google's sender with its headings */
static gboolean
detect (const NdrMessage *msg, const NdrParts *parts)
{
  return ndr_mta_table_detect (&gmail_table, msg, parts);
}

/* extract - read the indented addresses and the remote server's reply */
static void
extract (NdrMessage *msg, const NdrParts *parts, const NdrLimits *limits)
{
  ndr_mta_table_extract (&gmail_table, msg, parts, limits);
}

const NdrFormat ndr_format_gmail = { "gmail", detect, extract };
