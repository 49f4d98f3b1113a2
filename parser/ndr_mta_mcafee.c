/*
 * NAME
 *   ndr_mta_mcafee.c - McAfee Email Gateway bounces, as a table
 * DESCRIPTION
 *   ndr_format_mcafee detects the McAfee Email Gateway (X-NAI-Header): "--- The following
 *   addresses had delivery problems ---" then "<rcpt>   (reason)" per recipient. A DSN
 *   part usually follows, read by ndr_dsn.c and completed here.
 *
 *   Everything specific to it is in the tables below; ndr_mta_table.c reads them.
 * TRUST
 *   As ndr_mta_table.c.
 */
#include "ndr_mta_table.h"

static const NdrMtaMarker mcafee_markers[] = {
  { NDR_MTA_IN_HEADER,  "X-NAI-Header",                                    3, NULL },
  { NDR_MTA_IN_BODY,    "--- The following addresses had delivery problems ---", 2, NULL },
  { NDR_MTA_IN_SUBJECT, "Delivery Status",                                 1, NULL },
};

static const NdrMtaLine mcafee_lines[] = {
  { NDR_MTA_START, "^\\s*-+\\s*The following addresses had delivery problems\\s*-+", "failed", NULL },
  { NDR_MTA_RCPT,  "^\\s*<(?<addr>[^<>\\s]+@[^<>\\s]+)>\\s+\\((?<rest>.*?)\\)?\\s*$", NULL, NULL },
};

static NdrMtaCache mcafee_cache;

static const NdrMtaTable mcafee_table = {
  .name = "mcafee",
  .markers = mcafee_markers,
  .n_markers = G_N_ELEMENTS (mcafee_markers),
  .threshold = 4,
  .lines = mcafee_lines,
  .n_lines = G_N_ELEMENTS (mcafee_lines),
  .join = FALSE,
  .action = "failed",
  .cache = &mcafee_cache,
};

/* detect - McAfee's header and heading */
static gboolean
detect (const NdrMessage *msg, const NdrParts *parts)
{
  return ndr_mta_table_detect (&mcafee_table, msg, parts);
}

/* extract - read each "<rcpt> (reason)" line */
static void
extract (NdrMessage *msg, const NdrParts *parts, const NdrLimits *limits)
{
  ndr_mta_table_extract (&mcafee_table, msg, parts, limits);
}

const NdrFormat ndr_format_mcafee = { "mcafee", detect, extract };
