/*
 * NAME
 *   ndr_parse.c - one message's bytes to an NdrMessage (the pipeline of parser_priv.h)
 * TRUST
 *   None: the bytes are a stranger's.
 */
#include "parser_priv.h"

/**
 * ndr_parser_init:
 *
 * Initialises GMime. Call once, from the main thread, before any parse.
 */
void
ndr_parser_init (void)
{
  g_mime_init ();
}

/**
 * ndr_parser_shutdown:
 *
 * Releases what ndr_parser_init() set up.
 */
void
ndr_parser_shutdown (void)
{
  g_mime_shutdown ();
}
