/*
 * NAME
 *   ndr_error.h - the project's one GError domain
 * DESCRIPTION
 *   Library code reports failures as NDR_ERROR with one of the codes below; only cli/
 *   prints them and picks an exit status.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define NDR_ERROR (ndr_error_quark ())
GQuark ndr_error_quark (void);

typedef enum {
  NDR_ERROR_IO,         /* cannot read an input: path and strerror */
  NDR_ERROR_LIMIT,      /* an NDR_MAX_* limit was hit: which one, and where */
  NDR_ERROR_MALFORMED,  /* not a message we can make sense of */
  NDR_ERROR_RULE,       /* a rule file was refused: file [rule]: reason */
  NDR_ERROR_STORE,      /* the database failed: what we did, sqlite3_errmsg() */
  NDR_ERROR_USAGE,      /* a bad option or argument given by the user */
} NdrError;

G_END_DECLS
