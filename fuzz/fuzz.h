/*
 * NAME
 *   fuzz.h - what the libFuzzer targets of fuzz/ share
 * DESCRIPTION
 *   ndr_fuzz_init() sets up GMime and makes GLib criticals and warnings fatal, so that a
 *   g_return_if_fail() reached by input shows up as a crash. ndr_fuzz_tight_limits() gives
 *   limits small enough for fuzzed inputs (a few KiB) to reach every cut. ndr_fuzz_check()
 *   aborts when a record breaks a promise of parser.h (valid UTF-8, counts within limits).
 * TRUST
 *   The input of every target is hostile by design; this code is a test harness.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "parser.h"

G_BEGIN_DECLS

/* The entry points libFuzzer calls; declared here for -Wmissing-prototypes. */
int  LLVMFuzzerInitialize   (int *argc, char ***argv);
int  LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

void ndr_fuzz_init         (void);
void ndr_fuzz_tight_limits (NdrLimits *limits);
void ndr_fuzz_check        (const NdrMessage *msg, const NdrLimits *limits);

G_END_DECLS
