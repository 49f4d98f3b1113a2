/*
 * NAME
 *   store_testutil.h - helpers of tests/test_store.c and tests/test_store_crash.c
 * DESCRIPTION
 *   See store_testutil.c.
 * TRUST
 *   Test code.
 */
#pragma once

#include "store.h"

G_BEGIN_DECLS

/* What a made-up mailbox holds. */
typedef struct {
  guint distinct;   /* different messages */
  guint junk;       /* of which not messages at all: they go to the quarantine */
} StoreTestExpect;

char       *store_test_mbox    (const char *dir, const char *name, guint n, gboolean crlf,
                                StoreTestExpect *expect);
char       *store_test_dump    (const char *path);
gint64      store_test_count   (const char *path, const char *sql);
NdrMessage *store_test_analyse (const NdrRaw *raw, gpointer data);
gboolean    store_test_ingest  (const char *db, const char *mbox, guint jobs, guint batch,
                                NdrIngestCounts *counts, GError **error);
void        store_test_rm_tree (const char *path);

G_END_DECLS
