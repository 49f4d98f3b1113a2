/*
 * NAME
 *   test_store_crash.c - kill ingest at random points, re-run, compare with one clean run
 * DESCRIPTION
 *   A reference database is made by one uninterrupted ingest of the made-up mailbox. Then, for
 *   each trial, a child process ingests the same mailbox into a new database and is killed
 *   with SIGKILL after a random delay (up to the reference run's duration), KILLS times in a
 *   row; a last child runs to the end. Every stable row (store_test_dump()) must then equal
 *   the reference's. Trials alternate --jobs 1 and 2; batches are small so that kills land
 *   before, inside and after commits, and during the creation of the schema.
 *
 *   The delays come from g_test_rand_int_range(): a failure prints the seed, and
 *   `test_store_crash --seed=R02S...` replays it. The duration is only used to spread the kill
 *   points; nothing is timed against a limit.
 *
 *   The parent never starts a thread (ingests run in the children), so fork() is safe.
 * TRUST
 *   Test code.
 */
#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "store_testutil.h"

#define MESSAGES 400   /* in the made-up mailbox */
#define TRIALS   6     /* databases built by killed runs */
#define KILLS    3     /* kills per database before the run that finishes */
#define BATCH    16    /* messages per transaction: many commits per run */

static char *tmp;

/* start - fork a child that ingests mbox into db and exits 0 on success */
static pid_t
start (const char *db, const char *mbox, guint jobs)
{
  pid_t pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0) {
    NdrIngestCounts counts;
    gboolean ok = store_test_ingest (db, mbox, jobs, BATCH, &counts, NULL);
    _exit (ok ? 0 : 1);
  }
  return pid;
}

/* finish - wait for a child; it must have exited 0 */
static void
finish (pid_t pid)
{
  int status = 0;
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
}

static void
test_crash (void)
{
  g_autofree char *mbox = store_test_mbox (tmp, "crash.mbox", MESSAGES, FALSE, NULL);
  g_autofree char *ref = g_build_filename (tmp, "ref.db", NULL);
  gint64 t0 = g_get_monotonic_time ();
  finish (start (ref, mbox, 1));
  gint64 took = MAX (g_get_monotonic_time () - t0, 1000);
  g_autofree char *want = store_test_dump (ref);
  g_assert_cmpint (store_test_count (ref, "SELECT count(*) FROM messages"), >, MESSAGES / 2);
  for (guint t = 0; t < TRIALS; t++) {
    g_autofree char *name = g_strdup_printf ("trial-%u.db", t);
    g_autofree char *db = g_build_filename (tmp, name, NULL);
    guint jobs = 1 + t % 2;
    for (guint k = 0; k < KILLS; k++) {
      pid_t pid = start (db, mbox, jobs);
      gint32 delay = g_test_rand_int_range (0, (gint32) MIN (took, G_MAXINT32 - 1) + 1);
      g_usleep ((gulong) delay);
      kill (pid, SIGKILL);
      int status = 0;
      g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
      g_test_message ("trial %u (jobs %u): kill %u after %d us: %s", t, jobs, k, delay,
                      WIFSIGNALED (status) ? "killed" : "had finished");
    }
    finish (start (db, mbox, jobs));
    g_autofree char *got = store_test_dump (db);
    g_assert_cmpstr (got, ==, want);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  ndr_parser_init ();
  g_autoptr(GError) error = NULL;
  tmp = g_dir_make_tmp ("ndr-crash-XXXXXX", &error);
  g_assert_no_error (error);
  g_test_add_func ("/store/crash", test_crash);
  int rc = g_test_run ();
  if (g_getenv ("NDR_KEEP_TMP") == NULL)
    store_test_rm_tree (tmp);
  ndr_parser_shutdown ();
  g_free (tmp);
  return rc;
}
