/*
 * NAME
 *   ndr_mta_x2.c - web-mail provider bounces of the "Unable to deliver message" kind (X2), as a table
 * DESCRIPTION
 *   ndr_format_x2 detects a web-mail provider's bounce: "Message from example.net." then
 *   "Unable to deliver message to the following address(es)." and, per recipient, "<rcpt>:"
 *   on a line of its own followed by the reason, which may be wrapped and may end with the
 *   provider's own code in brackets ("[#102]", "[#4.1.9]"). The quoted original follows.
 *   A sibling layout says "Your delivery to the following address has been failed.", then
 *   "Delivery failed: rcpt" and "Remote host said[Response Message]: 554 ...".
 *
 *   Everything specific to it is in the tables below; ndr_mta_table.c reads them.
 * TRUST
 *   As ndr_mta_table.c.
 */
#include "ndr_mta_table.h"

static const NdrMtaMarker x2_markers[] = {
  { NDR_MTA_IN_FROM,    "MAILER-DAEMON",                                          1, NULL },
  { NDR_MTA_IN_SUBJECT, "Delivery failure",                                       1, NULL },
  { NDR_MTA_IN_SUBJECT, "failed delivery",                                        1, NULL },
  { NDR_MTA_IN_SUBJECT, "failure delivery",                                       1, NULL },
  { NDR_MTA_IN_BODY,    "Unable to deliver message to the following address(es).", 3, NULL },
  { NDR_MTA_IN_BODY,    "Your delivery to the following address has been failed.",  3, NULL },
};

static const NdrMtaLine x2_lines[] = {
  { NDR_MTA_STOP,   "^(?:Return-Path|X-Originating-IP):", NULL, NULL },
  { NDR_MTA_STOP,   "^\\s*-{2,}\\s*(?:Original message|Below this line)", NULL, NULL },
  { NDR_MTA_START,  "^\\s*Unable to deliver message to the following address\\(es\\)", "failed",
    NULL },
  { NDR_MTA_RCPT,   "^<(?<addr>[^<>\\s]+@[^<>\\s]+)>:\\s*$", NULL, NULL },
  { NDR_MTA_RCPT,   "^\\s*Delivery failed:\\s*<?(?<addr>[^<>\\s]+@[^<>\\s]+?)>?\\s*$", NULL, NULL },
  { NDR_MTA_REPLY,  "Remote host said\\[Response Message\\]:\\s*(?<reply>.*?)(?:\\s+STEP:.*)?\\s*$",
    NULL, NULL },
  { NDR_MTA_REPLY,  "^(?<reply>[245]\\d\\d[ -].*?)\\s*$", NULL, NULL },
};

static NdrMtaCache x2_cache;

static const NdrMtaTable x2_table = {
  .name = "x2",
  .markers = x2_markers,
  .n_markers = G_N_ELEMENTS (x2_markers),
  .threshold = 4,
  .lines = x2_lines,
  .n_lines = G_N_ELEMENTS (x2_lines),
  .join = TRUE,
  .action = "failed",
  .cache = &x2_cache,
};

/* detect - its one-line heading */
static gboolean
detect (const NdrMessage *msg, const NdrParts *parts)
{
  return ndr_mta_table_detect (&x2_table, msg, parts);
}

/* extract - read each "<rcpt>:" paragraph */
static void
extract (NdrMessage *msg, const NdrParts *parts, const NdrLimits *limits)
{
  ndr_mta_table_extract (&x2_table, msg, parts, limits);
}

const NdrFormat ndr_format_x2 = { "x2", detect, extract };
