/*
 * NAME
 *   ndr_error.c - the NDR_ERROR quark
 * TRUST
 *   Nothing to trust: no input.
 */
#include "ndr_error.h"

G_DEFINE_QUARK (ndr-error-quark, ndr_error)
