/*
 * NAME
 *   ndr_mta_gmx.c - GMX, Web.de and 1&1 (United Internet) bounces, as a table
 * DESCRIPTION
 *   ndr_format_gmx detects the United Internet mail system: an Exim-like introduction ("This
 *   message was created automatically by mail delivery software.") that ends with "--- The
 *   header of the original message is following. ---". Each recipient
 *   stands on a line of its own after "The following address(es) failed:", quoted ("rcpt":),
 *   bracketed or bare; the lines under it say where it failed ("SMTP error from remote server
 *   after RCPT command: host: mx.example.net", then the reply) or why ("Reason:", "For the
 *   following reason:"). The table must come before Exim's, whose introduction it shares.
 *
 *   Everything GMX-specific is in the tables below; ndr_mta_table.c reads them.
 * TRUST
 *   As ndr_mta_table.c.
 */
#include "ndr_mta_table.h"

static const NdrMtaMarker gmx_markers[] = {
  { NDR_MTA_IN_HEADER,  "X-UI-Out-Filterresults",                              2, NULL },
  { NDR_MTA_IN_HEADER,  "X-GMX-Antispam",                                      2, NULL },
  { NDR_MTA_IN_BODY,    "--- The header of the original message is following", 4, NULL },
  { NDR_MTA_IN_BODY,    "This message was created automatically by mail delivery software", 1,
    NULL },
};

static const NdrMtaLine gmx_lines[] = {
  { NDR_MTA_STOP,   "^\\s*-{2,}\\s*The header of the original message is following", NULL, NULL },
  { NDR_MTA_START,  "^(?:.*\\bThe following address(?:\\(es\\)|es)?\\s+)?failed:\\s*$",
    "failed", NULL },
  { NDR_MTA_RCPT,   "^\\s*\"?<?(?<addr>[^\\s<>\"@:]+@[^\\s<>\":]+?)>?\"?:?\\s*$", NULL, NULL },
  { NDR_MTA_REPLY,  "\\bhost:\\s*(?<host>[^\\s(]+)(?:\\s+\\([^)]*\\))?\\s+reason:\\s*"
                    "(?<reply>.*?)\\s*$", NULL, NULL },
  { NDR_MTA_REPLY,  "\\bhost:\\s*(?<host>[^\\s(]+)\\s+(?<reply>(?:[245]\\d\\d\\b|[245]\\.\\d{1,3}"
                    "\\.\\d{1,3}\\b).*?)\\s*$", NULL, NULL },
  { NDR_MTA_HOST,   "\\bhost:\\s*(?<host>[^\\s(]+)", NULL, NULL },
};

static NdrMtaCache gmx_cache;

static const NdrMtaTable gmx_table = {
  .name = "gmx",
  .markers = gmx_markers,
  .n_markers = G_N_ELEMENTS (gmx_markers),
  .threshold = 4,
  .lines = gmx_lines,
  .n_lines = G_N_ELEMENTS (gmx_lines),
  .join = TRUE,
  .action = "failed",
  .cache = &gmx_cache,
};

/* detect - the closing line of the United Internet template, or its headers */
static gboolean
detect (const NdrMessage *msg, const NdrParts *parts)
{
  return ndr_mta_table_detect (&gmx_table, msg, parts);
}

/* extract - read each recipient line and the lines under it */
static void
extract (NdrMessage *msg, const NdrParts *parts, const NdrLimits *limits)
{
  ndr_mta_table_extract (&gmx_table, msg, parts, limits);
}

const NdrFormat ndr_format_gmx = { "gmx", detect, extract };
