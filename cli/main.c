/*
 * main.c — the condlint command line: argument parsing, reading stdin, and
 * the exit status (0 no findings, 1 findings, 2 usage/IO/internal error).
 * Everything else is the library's (include/condlint/condlint.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "condlint/condlint.h"

static const char USAGE[] =
    "usage: condlint check [OPTIONS] [PATH ...]\n"
    "       condlint rule CODE | --all [--output-format text|json]\n"
    "       condlint --version | --help\n"
    "\n"
    "Find torch.cond calls that fold to one branch when the code is traced\n"
    "(make_fx, torch.export, torch.compile, fake tensors).\n"
    "\n"
    "check options:\n"
    "  PATH                  files or directories to check (default: .); '-' reads stdin\n"
    "  --output-format FMT   text (default) or json\n"
    "  --stdin-filename P    the path to report for source read from stdin\n"
    "  --color WHEN          auto (default), always or never; NO_COLOR is honoured\n"
    "  -j, --jobs N          worker threads (default: one per core)\n"
    "  --exit-zero           exit 0 even when there are findings\n"
    "\n"
    "Exit status: 0 no findings, 1 findings, 2 usage, I/O or internal error.\n"
    "Findings of severity info (CL901, CL903, CL904) do not change the status.\n";

static int usage_error(const char *fmt, const char *arg) {
  fprintf(stderr, "condlint: ");
  fprintf(stderr, fmt, arg);
  fprintf(stderr, "\nTry 'condlint --help'.\n");
  return 2;
}

static char *read_stdin(size_t *len) {
  size_t cap = 65536, n = 0;
  char *buf = malloc(cap);
  if (!buf) return NULL;
  for (;;) {
    if (cap - n < 4096) {
      char *nb = realloc(buf, cap *= 2);
      if (!nb) {
        free(buf);
        return NULL;
      }
      buf = nb;
    }
    size_t got = fread(buf + n, 1, cap - n, stdin);
    n += got;
    if (got == 0) break;
  }
  if (ferror(stdin)) {
    free(buf);
    return NULL;
  }
  *len = n;
  return buf;
}

static const char *json_escape(const char *s, char *buf, size_t cap) {
  size_t j = 0;
  for (; *s && j + 7 < cap; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == '"' || c == '\\') buf[j++] = '\\', buf[j++] = (char)c;
    else if (c == '\n') buf[j++] = '\\', buf[j++] = 'n';
    else if (c < 0x20) j += (size_t)snprintf(buf + j, cap - j, "\\u%04x", c);
    else buf[j++] = (char)c;
  }
  buf[j] = 0;
  return buf;
}

static int cmd_rule(int argc, char **argv) {
  const char *format = "text";
  const char *code = NULL;
  int all = 0;
  for (int i = 0; i < argc; i++) {
    if (!strcmp(argv[i], "--all")) all = 1;
    else if (!strcmp(argv[i], "--output-format") && i + 1 < argc) format = argv[++i];
    else if (!strncmp(argv[i], "--output-format=", 16)) format = argv[i] + 16;
    else if (argv[i][0] == '-') return usage_error("unknown option '%s'", argv[i]);
    else code = argv[i];
  }
  if (strcmp(format, "text") && strcmp(format, "json"))
    return usage_error("unknown output format '%s' for rule (text, json)", format);
  if (!all && !code) return usage_error("%s", "rule: give a CODE or --all");
  size_t n = condlint_rule_count();
  int json = !strcmp(format, "json");
  static char buf[65536];
  if (json) printf("[");
  int first = 1;
  for (size_t i = 0; i < n; i++) {
    const condlint_rule *r = condlint_rule_at(i);
    if (!all && strcmp(condlint_rule_code(r), code) && strcmp(condlint_rule_name(r), code))
      continue;
    condlint_severity sev = condlint_rule_severity(r);
    const char *sv = sev == CONDLINT_SEVERITY_ERROR ? "error"
                     : sev == CONDLINT_SEVERITY_WARNING ? "warning" : "info";
    if (json) {
      printf("%s\n  {\"code\": \"%s\", \"name\": \"%s\", \"severity\": \"%s\", ", first ? "" : ",",
             condlint_rule_code(r), condlint_rule_name(r), sv);
      printf("\"summary\": \"%s\", ", json_escape(condlint_rule_summary(r), buf, sizeof buf));
      printf("\"explanation\": \"%s\"}", json_escape(condlint_rule_doc(r), buf, sizeof buf));
    } else {
      if (!first) printf("\n");
      printf("%s\n", condlint_rule_doc(r));
    }
    first = 0;
  }
  if (json) printf("\n]\n");
  if (first) {
    fprintf(stderr, "condlint: no rule '%s'\n", code);
    return 2;
  }
  return 0;
}

static int cmd_check(int argc, char **argv) {
  const char *format = "text", *stdin_name = NULL, *color_when = "auto";
  int exit_zero = 0;
  long jobs = 0;
  const char **paths = calloc((size_t)argc + 1, sizeof(char *));
  int npaths = 0;
  if (!paths) return 2;
  for (int i = 0; i < argc; i++) {
    const char *a = argv[i];
#define OPTVAL(name, var)                                                       \
  if (!strcmp(a, name)) {                                                       \
    if (i + 1 >= argc) {                                                        \
      free(paths);                                                              \
      return usage_error("option '%s' needs a value", name);                   \
    }                                                                           \
    var = argv[++i];                                                            \
    continue;                                                                   \
  }                                                                             \
  if (!strncmp(a, name "=", sizeof(name))) {                                    \
    var = a + sizeof(name);                                                     \
    continue;                                                                   \
  }
    OPTVAL("--output-format", format)
    OPTVAL("--stdin-filename", stdin_name)
    OPTVAL("--color", color_when)
    const char *jobs_s = NULL;
    OPTVAL("--jobs", jobs_s)
    if (!strcmp(a, "-j") && i + 1 < argc) jobs_s = argv[++i];
    if (jobs_s || !strcmp(a, "-j")) {
      char *end;
      jobs = jobs_s ? strtol(jobs_s, &end, 10) : -1;
      if (!jobs_s || *end || jobs < 1 || jobs > 1024) {
        free(paths);
        return usage_error("--jobs needs a number from 1 to 1024, not '%s'", jobs_s ? jobs_s : "");
      }
      continue;
    }
    if (!strcmp(a, "--exit-zero")) {
      exit_zero = 1;
      continue;
    }
    if (!strcmp(a, "--")) {
      for (i++; i < argc; i++) paths[npaths++] = argv[i];
      break;
    }
    if (a[0] == '-' && a[1]) {
      free(paths);
      return usage_error("unknown option '%s'", a);
    }
    paths[npaths++] = a;
  }
#undef OPTVAL
  if (strcmp(format, "text") && strcmp(format, "json")) {
    free(paths);
    return usage_error("unknown output format '%s' (text, json)", format);
  }
  int color;
  if (!strcmp(color_when, "always")) color = 1;
  else if (!strcmp(color_when, "never")) color = 0;
  else if (!strcmp(color_when, "auto")) {
    const char *nc = getenv("NO_COLOR");
    color = isatty(STDOUT_FILENO) && !(nc && *nc);
  } else {
    free(paths);
    return usage_error("--color takes auto, always or never, not '%s'", color_when);
  }
  if (npaths == 0) paths[npaths++] = ".";

  condlint_session *s = condlint_session_new();
  condlint_session_set_jobs(s, (unsigned)jobs);
  int rc = 0;
  for (int i = 0; i < npaths && rc == 0; i++) {
    if (!strcmp(paths[i], "-")) {
      size_t len = 0;
      char *buf = read_stdin(&len);
      if (!buf) {
        fprintf(stderr, "condlint: cannot read standard input: %s\n", strerror(errno));
        rc = 2;
        break;
      }
      condlint_session_add_source(s, stdin_name ? stdin_name : "<stdin>", buf, len);
      free(buf);
    } else if (condlint_session_add_path(s, paths[i]) != 0) {
      fprintf(stderr, "condlint: %s\n", condlint_session_error(s));
      rc = 2;
    }
  }
  free(paths);
  if (rc == 0 && condlint_session_analyze(s) != 0) {
    fprintf(stderr, "condlint: internal error: %s\n", condlint_session_error(s));
    rc = 2;
  }
  if (rc == 0) {
    if (condlint_session_render(s, format, color, stdout) != 0) {
      fprintf(stderr, "condlint: internal error: cannot render the findings\n");
      rc = 2;
    } else {
      for (size_t i = 0; i < condlint_session_diag_count(s); i++)
        if (condlint_diag_severity(condlint_session_diag(s, i)) != CONDLINT_SEVERITY_INFO)
          rc = 1;
      if (exit_zero) rc = 0;
    }
  }
  if (fflush(stdout) != 0 && rc != 2) {
    fprintf(stderr, "condlint: cannot write the report: %s\n", strerror(errno));
    rc = 2;
  }
  condlint_session_free(s);
  return rc;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fputs(USAGE, stderr);
    return 2;
  }
  const char *cmd = argv[1];
  if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
    fputs(USAGE, stdout);
    return 0;
  }
  if (!strcmp(cmd, "--version") || !strcmp(cmd, "-V") || !strcmp(cmd, "version")) {
    printf("condlint %s\n", condlint_version());
    return 0;
  }
  if (!strcmp(cmd, "check")) {
    for (int i = 2; i < argc; i++)
      if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
        fputs(USAGE, stdout);
        return 0;
      }
    return cmd_check(argc - 2, argv + 2);
  }
  if (!strcmp(cmd, "rule")) return cmd_rule(argc - 2, argv + 2);
  return usage_error("unknown command '%s' (check, rule)", cmd);
}
