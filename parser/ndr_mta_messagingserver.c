/*
 * NAME
 *   ndr_mta_messagingserver.c - Sun/Oracle Messaging Server delivery notifications, as a table
 * DESCRIPTION
 *   ndr_format_messagingserver detects Sun Java System / Oracle Communications Messaging
 *   Server ("This report relates to a message you sent with the following header fields:").
 *   Under "Your message cannot be delivered to the following recipients:" each recipient is
 *   a group of indented fields: "Recipient address:", "Reason:", "Diagnostic code:" (the
 *   remote reply) and "Remote system:" (the remote host). A DSN part usually follows.
 *
 *   Everything specific to it is in the tables below; ndr_mta_table.c reads them.
 * TRUST
 *   As ndr_mta_table.c.
 */
#include "ndr_mta_table.h"

static const NdrMtaMarker messagingserver_markers[] = {
  { NDR_MTA_IN_SUBJECT, "Delivery Notification:",                                          1, NULL },
  { NDR_MTA_IN_BODY,    "This report relates to a message you sent with the following header", 3,
    NULL },
  { NDR_MTA_IN_BODY,    "Recipient address:",                                              1, NULL },
};

static const NdrMtaLine messagingserver_lines[] = {
  { NDR_MTA_START, "^\\s*Your message cannot be delivered to the following recipients:", "failed",
    NULL },
  { NDR_MTA_START, "^\\s*Your message has not (?:yet )?been delivered to the following recipients:",
    "delayed", NULL },
  { NDR_MTA_RCPT,  "^\\s*Recipient address:\\s*<?(?<addr>[^\\s<>@]+@[^\\s<>]+?)>?\\s*$", NULL, NULL },
  { NDR_MTA_REPLY, "^\\s*Diagnostic code:\\s*(?:smtp;\\s*)?(?<reply>.*?)\\s*$", NULL, NULL },
  { NDR_MTA_HOST,  "^\\s*Remote system:\\s*(?:dns;\\s*)?(?<host>[^\\s(;]+)", NULL, NULL },
};

static NdrMtaCache messagingserver_cache;

static const NdrMtaTable messagingserver_table = {
  .name = "messagingserver",
  .markers = messagingserver_markers,
  .n_markers = G_N_ELEMENTS (messagingserver_markers),
  .threshold = 4,
  .lines = messagingserver_lines,
  .n_lines = G_N_ELEMENTS (messagingserver_lines),
  .join = FALSE,
  .action = "failed",
  .cache = &messagingserver_cache,
};

/* detect - its report header */
static gboolean
detect (const NdrMessage *msg, const NdrParts *parts)
{
  return ndr_mta_table_detect (&messagingserver_table, msg, parts);
}

/* extract - read each "Recipient address:" group */
static void
extract (NdrMessage *msg, const NdrParts *parts, const NdrLimits *limits)
{
  ndr_mta_table_extract (&messagingserver_table, msg, parts, limits);
}

const NdrFormat ndr_format_messagingserver = { "messagingserver", detect, extract };
