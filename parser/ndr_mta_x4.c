/*
 * NAME
 *   ndr_mta_x4.c - qmail-based ISP bounces without qmail-send's greeting (X4), as a table
 * DESCRIPTION
 *   ndr_format_x4 detects a qmail-based ISP bounce that opens "Your mail message to the
 *   following address(es) could not be delivered." instead of qmail-send's greeting; each
 *   recipient is a "<rcpt>:" paragraph, often with the local delivery agent's words ("child
 *   status 100...").
 *
 *   Everything specific to it is in the tables below; ndr_mta_table.c reads them.
 * TRUST
 *   As ndr_mta_table.c.
 */
#include "ndr_mta_table.h"

static const NdrMtaMarker x4_markers[] = {
  { NDR_MTA_IN_FROM,    "MAILER-DAEMON",                                                  1, NULL },
  { NDR_MTA_IN_SUBJECT, "failure notice",                                                 1, NULL },
  { NDR_MTA_IN_BODY,    "Your mail message to the following address(es) could not be delivered", 3,
    NULL },
};

static const NdrMtaLine x4_lines[] = {
  { NDR_MTA_STOP,  "^\\s*---\\s*(?:Below this line is|Enclosed is) a copy of the message", NULL, NULL },
  { NDR_MTA_STOP,  "^Return-Path:", NULL, NULL },
  { NDR_MTA_START, "^\\s*Your mail message to the following address\\(es\\) could not be delivered",
    "failed", NULL },
  { NDR_MTA_RCPT,  "^<(?<addr>[^<>\\s]+@[^<>\\s]+)>:\\s*$", NULL, NULL },
  { NDR_MTA_REPLY, "^\\s*Remote host said:\\s*(?<reply>.*?)\\s*$", NULL, NULL },
};

static NdrMtaCache x4_cache;

static const NdrMtaTable x4_table = {
  .name = "x4",
  .markers = x4_markers,
  .n_markers = G_N_ELEMENTS (x4_markers),
  .threshold = 4,
  .lines = x4_lines,
  .n_lines = G_N_ELEMENTS (x4_lines),
  .join = TRUE,
  .action = "failed",
  .cache = &x4_cache,
};

/* detect - its heading */
static gboolean
detect (const NdrMessage *msg, const NdrParts *parts)
{
  return ndr_mta_table_detect (&x4_table, msg, parts);
}

/* extract - read each "<rcpt>:" paragraph */
static void
extract (NdrMessage *msg, const NdrParts *parts, const NdrLimits *limits)
{
  ndr_mta_table_extract (&x4_table, msg, parts, limits);
}

const NdrFormat ndr_format_x4 = { "x4", detect, extract };
