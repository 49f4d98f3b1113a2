/*
 * NAME
 *   rss.c - run a command and report its peak resident set size and wall time
 * SYNOPSIS
 *   rss COMMAND [ARG...]
 * DESCRIPTION
 *   Runs COMMAND with its arguments (no shell), waits for it and prints to stderr
 *     rss: PEAK kB peak RSS, S s wall, C s cpu
 *   where PEAK is ru_maxrss of the child as wait4() reports it and C its user plus system
 *   time. bench/parse uses it where
 *   /usr/bin/time is not installed; the number is the one `time -v` prints as "Maximum
 *   resident set size".
 * TRUST
 *   The command line is the caller's; nothing is read from the command's output.
 * DIAGNOSTICS
 *   The exit status is the command's, 128 + N when signal N ended it, 127 when it could not
 *   be started, 2 on a usage error.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define EXIT_NOT_STARTED 127   /* as a shell reports a command it cannot run */
#define EXIT_SIGNAL_BASE 128   /* as a shell reports a command ended by a signal */

/* now - monotonic time in seconds */
static double
now (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

int
main (int argc, char **argv)
{
  if (argc < 2) {
    fprintf (stderr, "usage: rss COMMAND [ARG...]\n");
    return 2;
  }
  double start = now ();
  pid_t pid = fork ();
  if (pid < 0) {
    fprintf (stderr, "rss: fork: %s\n", strerror (errno));
    return EXIT_NOT_STARTED;
  }
  if (pid == 0) {
    execvp (argv[1], argv + 1);
    fprintf (stderr, "rss: %s: %s\n", argv[1], strerror (errno));
    _exit (EXIT_NOT_STARTED);
  }
  int status = 0;
  struct rusage ru;
  memset (&ru, 0, sizeof ru);
  while (wait4 (pid, &status, 0, &ru) < 0) {
    if (errno != EINTR) {
      fprintf (stderr, "rss: wait4: %s\n", strerror (errno));
      return EXIT_NOT_STARTED;
    }
  }
  double cpu = (double) ru.ru_utime.tv_sec + (double) ru.ru_utime.tv_usec / 1e6
               + (double) ru.ru_stime.tv_sec + (double) ru.ru_stime.tv_usec / 1e6;
  fprintf (stderr, "rss: %ld kB peak RSS, %.3f s wall, %.3f s cpu\n", (long) ru.ru_maxrss,
           now () - start, cpu);
  if (WIFSIGNALED (status))
    return EXIT_SIGNAL_BASE + WTERMSIG (status);
  return WEXITSTATUS (status);
}
