/*
 * NAME
 *   ndr_mta_zoho.c - Zoho Mail bounces and delay warnings, as a table
 * DESCRIPTION
 *   ndr_format_zoho detects Zoho Mail (X-ZohoMail, a zoho sender): a bounce lists each
 *   recipient on one line, "rcpt Invalid Address, ERROR_CODE :550, ERROR_CODE :text"; a
 *   delay warning ("THIS IS A WARNING MESSAGE ONLY.") writes "[Status: Error, Address:
 *   <rcpt>, ResponseCode 421, , text]".
 *
 *   Everything specific to it is in the tables below; ndr_mta_table.c reads them.
 * TRUST
 *   As ndr_mta_table.c.
 */
#include "ndr_mta_table.h"

static const NdrMtaMarker zoho_markers[] = {
  { NDR_MTA_IN_FROM,    "zoho",                                    2, NULL },
  { NDR_MTA_IN_HEADER,  "X-ZohoMail",                              2, NULL },
  { NDR_MTA_IN_BODY,    "ERROR_CODE :",                            1, NULL },
  { NDR_MTA_IN_BODY,    "ResponseCode ",                           1, NULL },
};

static const NdrMtaLine zoho_lines[] = {
  { NDR_MTA_ACTION, "THIS IS A WARNING MESSAGE ONLY", "delayed", NULL },
  { NDR_MTA_RCPT,   "^\\s*<?(?<addr>[^\\s<>@]+@[^\\s<>,]+?)>?\\s+(?<rest>.*\\bERROR_CODE\\b.*?)\\s*$",
    NULL, NULL },
  { NDR_MTA_RCPT,   "^\\s*\\[Status:\\s*\\w+,\\s*Address:\\s*<(?<addr>[^<>\\s]+@[^<>\\s]+)>,\\s*"
                    "(?<rest>.*?)\\]?\\s*$", NULL, NULL },
};

static NdrMtaCache zoho_cache;

static const NdrMtaTable zoho_table = {
  .name = "zoho",
  .markers = zoho_markers,
  .n_markers = G_N_ELEMENTS (zoho_markers),
  .threshold = 4,
  .lines = zoho_lines,
  .n_lines = G_N_ELEMENTS (zoho_lines),
  .join = FALSE,
  .action = "failed",
  .cache = &zoho_cache,
};

/* detect - Zoho's headers and its ERROR_CODE lines */
static gboolean
detect (const NdrMessage *msg, const NdrParts *parts)
{
  return ndr_mta_table_detect (&zoho_table, msg, parts);
}

/* extract - read each recipient line */
static void
extract (NdrMessage *msg, const NdrParts *parts, const NdrLimits *limits)
{
  ndr_mta_table_extract (&zoho_table, msg, parts, limits);
}

const NdrFormat ndr_format_zoho = { "zoho", detect, extract };
