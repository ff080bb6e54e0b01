/*
 * tap.h — a tiny Test Anything Protocol helper for the C unit tests in
 * t/unit/, so that prove runs them like the shell tests:
 *
 *   plan(3);                      or leave it out and end with done_testing()
 *   ok(p != NULL, "arena gives memory");
 *   is_int(n, 3, "three lines");
 *   is_str(code, "CL901", "the finding is a syntax error");
 *   return done_testing();        prints the plan if none was given; 0 iff all passed
 *
 * A failure prints the file, line, and for is_* the values, as `#` comments.
 */
#ifndef CONDLINT_TAP_H
#define CONDLINT_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int tap_run, tap_failed, tap_planned = -1;

static inline void plan(int n) {
  tap_planned = n;
  printf("1..%d\n", n);
  fflush(stdout);
}

static inline void diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static inline void diag(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("# ", stdout);
  vprintf(fmt, ap);
  fputc('\n', stdout);
  va_end(ap);
  fflush(stdout);
}

static inline int tap_vok(int pass, const char *file, int line, const char *fmt, va_list ap) {
  tap_run++;
  if (!pass) tap_failed++;
  printf("%sok %d - ", pass ? "" : "not ", tap_run);
  vprintf(fmt, ap);
  fputc('\n', stdout);
  if (!pass) printf("#   Failed test at %s line %d.\n", file, line);
  fflush(stdout);
  return pass;
}

static inline int tap_ok(int pass, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static inline int tap_ok(int pass, const char *file, int line, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  tap_vok(pass, file, line, fmt, ap);
  va_end(ap);
  return pass;
}

static inline int tap_is_int(long long got, long long want, const char *file, int line,
                             const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static inline int tap_is_int(long long got, long long want, const char *file, int line,
                             const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int pass = tap_vok(got == want, file, line, fmt, ap);
  va_end(ap);
  if (!pass) printf("#          got: %lld\n#     expected: %lld\n", got, want);
  return pass;
}

static inline int tap_is_str(const char *got, const char *want, const char *file, int line,
                             const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static inline int tap_is_str(const char *got, const char *want, const char *file, int line,
                             const char *fmt, ...) {
  int same = (got == NULL && want == NULL) || (got && want && strcmp(got, want) == 0);
  va_list ap;
  va_start(ap, fmt);
  int pass = tap_vok(same, file, line, fmt, ap);
  va_end(ap);
  if (!pass)
    printf("#          got: %s%s%s\n#     expected: %s%s%s\n", got ? "'" : "", got ? got : "NULL",
           got ? "'" : "", want ? "'" : "", want ? want : "NULL", want ? "'" : "");
  return pass;
}

#define ok(cond, ...) tap_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)
#define is_int(got, want, ...) \
  tap_is_int((long long)(got), (long long)(want), __FILE__, __LINE__, __VA_ARGS__)
#define is_str(got, want, ...) tap_is_str((got), (want), __FILE__, __LINE__, __VA_ARGS__)

/* Print the plan if none was declared; the exit status for main(). */
static inline int done_testing(void) {
  if (tap_planned < 0) printf("1..%d\n", tap_run);
  else if (tap_planned != tap_run)
    printf("# planned %d tests but ran %d\n", tap_planned, tap_run);
  fflush(stdout);
  return tap_failed || (tap_planned >= 0 && tap_planned != tap_run) ? 1 : 0;
}

#endif
