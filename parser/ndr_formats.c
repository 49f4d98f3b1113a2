/*
 * NAME
 *   ndr_formats.c - the list of bounce formats, in the order they are tried
 * DESCRIPTION
 *   Adding a format is one file (ndr_mta_NAME.c with an NdrFormat), one row here and one
 *   corpus case. Specific formats come before generic ones.
 * TRUST
 *   Nothing: a table.
 */
#include "parser_priv.h"

const NdrFormat *const ndr_formats[] = {
  NULL,
};
