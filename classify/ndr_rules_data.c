/*
 * NAME
 *   ndr_rules_data.c - the rules and categories of rules/, compiled in as a GResource
 * DESCRIPTION
 *   rules/meson.build runs glib-compile-resources into rules/ndr-rules-data.h, which defines
 *   ndr_rules_resource_get_resource(). Its data is one long string literal, longer than ISO C
 *   promises to support; GCC and Clang take it, so that one warning is off here.
 * TRUST
 *   The data is ours, built into the binary.
 */
#include "classify_priv.h"

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverlength-strings"
#pragma GCC diagnostic ignored "-Wmissing-prototypes"
#include "rules/ndr-rules-data.h"
#pragma GCC diagnostic pop

/* ndr_rules_data_resource - the compiled-in resource, set up on first use; never freed */
GResource *
ndr_rules_data_resource (void)
{
  static gsize once = 0;
  if (g_once_init_enter (&once)) {
    ndr_rules_resource_register_resource ();
    g_once_init_leave (&once, 1);
  }
  return ndr_rules_resource_get_resource ();
}
