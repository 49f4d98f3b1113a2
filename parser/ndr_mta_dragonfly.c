/*
 * NAME
 *   ndr_mta_dragonfly.c - DragonFly Mail Agent (dma) bounces, as a table
 * DESCRIPTION
 *   ndr_format_dragonfly detects the DragonFly Mail Agent (dma): "This is the DragonFly Mail
 *   Agent vN at HOST." names the reporting MTA, "There was an error delivering your mail to
 *   <rcpt>." names the recipient, and what follows is either dma's own words ("DNS lookup
 *   failure: ...", "Could not deliver for the last N seconds. Giving up.") or "mx.example.net
 *   [192.0.2.25] did not like our RCPT TO:" and the remote server's reply, over one or more
 *   "550-" lines. "Message headers follow." (or "Original message follows.") ends it.
 *
 *   Everything specific to it is in the tables below; ndr_mta_table.c reads them.
 * TRUST
 *   As ndr_mta_table.c.
 */
#include "ndr_mta_table.h"

static const NdrMtaMarker dragonfly_markers[] = {
  { NDR_MTA_IN_FROM,    "MAILER-DAEMON",                                 1, NULL },
  { NDR_MTA_IN_SUBJECT, "Mail delivery failed",                          1, NULL },
  { NDR_MTA_IN_BODY,    "This is the DragonFly Mail Agent",              4, NULL },
  { NDR_MTA_IN_BODY,    "There was an error delivering your mail to <",  2, NULL },
};

static const NdrMtaLine dragonfly_lines[] = {
  { NDR_MTA_STOP,     "^\\s*(?:Message headers|Original message) follows?\\.", NULL, NULL },
  { NDR_MTA_REPORTER, "^\\s*This is the DragonFly Mail Agent \\S+ at (?<host>\\S+?)\\.?\\s*$",
    NULL, NULL },
  { NDR_MTA_RCPT,     "^\\s*There was an error delivering your mail to <(?<addr>[^<>\\s]+@[^<>\\s]+)>",
    NULL, NULL },
  { NDR_MTA_HOST,     "^\\s*(?<host>[^\\s\\[\\]]+) \\[[^\\]]*\\] did not like our ", NULL, NULL },
  { NDR_MTA_REPLY,    "^(?<reply>[245]\\d\\d[ -].*?)\\s*$", NULL, NULL },
};

static NdrMtaCache dragonfly_cache;

static const NdrMtaTable dragonfly_table = {
  .name = "dragonfly",
  .markers = dragonfly_markers,
  .n_markers = G_N_ELEMENTS (dragonfly_markers),
  .threshold = 4,
  .lines = dragonfly_lines,
  .n_lines = G_N_ELEMENTS (dragonfly_lines),
  .join = FALSE,
  .action = "failed",
  .cache = &dragonfly_cache,
};

/* detect - dma's greeting */
static gboolean
detect (const NdrMessage *msg, const NdrParts *parts)
{
  return ndr_mta_table_detect (&dragonfly_table, msg, parts);
}

/* extract - read the recipient, dma's words and the remote reply */
static void
extract (NdrMessage *msg, const NdrParts *parts, const NdrLimits *limits)
{
  ndr_mta_table_extract (&dragonfly_table, msg, parts, limits);
}

const NdrFormat ndr_format_dragonfly = { "dragonfly", detect, extract };
