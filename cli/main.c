/*
 * main.c — the condlint command line: argument parsing, reading stdin, the
 * report file (written atomically), baselines, --statistics, and the exit
 * status (0 no findings, 1 findings, 2 usage/config/IO/internal error).
 * Everything else is the library's (include/condlint/condlint.h).
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "condlint/condlint.h"
#include "lsp.h" /* cmd_server: condlint server (server.c) */

static const char USAGE[] =
    "usage: condlint check [OPTIONS] [PATH ...]\n"
    "       condlint config [--config FILE | --isolated] [SELECTION] [PATH]\n"
    "       condlint rule CODE | --all [--output-format text|json]\n"
    "       condlint server [--debounce MS]   (a language server on stdio: docs/editors.md)\n"
    "       condlint clean [--cache-dir DIR]   (remove the cache)\n"
    "       condlint --version | --help\n"
    "\n"
    "Find torch.cond calls that fold to one branch when the code is traced\n"
    "(make_fx, torch.export, torch.compile, fake tensors).\n"
    "\n"
    "check options:\n"
    "  PATH                  files or directories to check (default: .); '-' reads stdin\n"
    "  --output-format FMT   text (default), concise, json, sarif, github, gitlab, junit\n"
    "  -o, --output-file F   write the report to F (atomically) instead of stdout\n"
    "  --stdin-filename P    the path to report for source read from stdin\n"
    "  --color WHEN          auto (default), always or never; NO_COLOR and FORCE_COLOR\n"
    "                        are honoured in auto\n"
    "  -j, --jobs N          worker threads (default: one per core)\n"
    "  --cache-dir DIR       keep the cache (parsed files, run results) in DIR (default:\n"
    "                        .condlint_cache in the project root; docs/performance.md)\n"
    "  --no-cache            neither read nor write the cache\n"
    "  -p, --compile-commands DIR\n"
    "                        C++ sources: take each file's flags from\n"
    "                        DIR/compile_commands.json (DIR may name the file)\n"
    "  --exit-zero           exit 0 even when there are findings\n"
    "  --statistics          print how many findings each rule has, not the findings\n"
    "  --fix                 apply the safe fixes, then report what remains\n"
    "  --unsafe-fixes        with --fix or --diff: the unsafe fixes too\n"
    "  --diff                print the fixes as a unified diff and write nothing\n"
    "\n"
    "selection (rule codes, prefixes such as CL1, or ALL; comma-separated, repeatable):\n"
    "  --select CODES        check only these rules (replaces the configured select)\n"
    "  --extend-select CODES check these rules too\n"
    "  --ignore CODES        do not check these rules\n"
    "\n"
    "configuration (see docs/configuration.md):\n"
    "  --config FILE         use FILE (pyproject.toml, condlint.toml) for every file\n"
    "  --isolated            read no configuration file\n"
    "  --force-exclude       apply exclude to files named on the command line too\n"
    "\n"
    "baselines:\n"
    "  --baseline FILE       report only findings not recorded in FILE; when FILE does\n"
    "                        not exist, record the current findings there and exit 0\n"
    "  --update-baseline     record the current findings in the --baseline FILE\n"
    "\n"
    "Exit status: 0 no findings, 1 findings, 2 usage, configuration, I/O or\n"
    "internal error. Findings of severity info (CL901, CL903, CL904 by default)\n"
    "do not change the status.\n";

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
    if (got == 0 || n > ((size_t)256 << 20)) break; /* add_source refuses more */
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

static int cmd_check(int argc, char **argv);

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

static const char *const FORMATS[] = {"text", "concise", "json", "sarif", "github", "gitlab",
                                      "junit", NULL};

static int known_format(const char *f) {
  for (const char *const *k = FORMATS; *k; k++)
    if (!strcmp(*k, f)) return 1;
  return 0;
}

/* A report file written atomically: a temporary file beside it, renamed over
 * it once complete, so that readers never see half a report. */
typedef struct {
  FILE *fp;
  char *tmp;
  const char *dest;
} outfile;

static int out_open(outfile *o, const char *dest) {
  o->dest = dest;
  o->tmp = NULL;
  if (!dest || !strcmp(dest, "-")) {
    o->fp = stdout;
    return 0;
  }
  size_t l = strlen(dest);
  o->tmp = malloc(l + 16);
  if (!o->tmp) return -1;
  snprintf(o->tmp, l + 16, "%s.tmpXXXXXX", dest);
  int fd = mkstemp(o->tmp);
  if (fd < 0) {
    fprintf(stderr, "condlint: %s: %s\n", dest, strerror(errno));
    free(o->tmp);
    o->tmp = NULL;
    return -1;
  }
  mode_t mask = umask(0);
  umask(mask);
  (void)fchmod(fd, 0666 & ~mask);
  o->fp = fdopen(fd, "w");
  if (!o->fp) {
    fprintf(stderr, "condlint: %s: %s\n", dest, strerror(errno));
    close(fd);
    unlink(o->tmp);
    free(o->tmp);
    o->tmp = NULL;
    return -1;
  }
  return 0;
}

/* Finish the report: ok=0 throws a temporary file away. Returns 0 or -1. */
static int out_close(outfile *o, int ok) {
  if (!o->tmp) {
    if (fflush(stdout) != 0) {
      fprintf(stderr, "condlint: cannot write the report: %s\n", strerror(errno));
      return -1;
    }
    return 0;
  }
  int failed = !ok;
  if (!failed && (fflush(o->fp) != 0 || fsync(fileno(o->fp)) != 0)) failed = 1;
  int err = errno;
  if (fclose(o->fp) != 0 && !failed) failed = 1, err = errno;
  if (!failed && rename(o->tmp, o->dest) != 0) failed = 1, err = errno;
  if (failed) {
    if (ok) fprintf(stderr, "condlint: cannot write %s: %s\n", o->dest, strerror(err));
    unlink(o->tmp);
  }
  free(o->tmp);
  o->tmp = NULL;
  return failed ? -1 : 0;
}

typedef struct {
  const char *code, *name;
  size_t count;
} stat_row;

static int stat_cmp(const void *pa, const void *pb) {
  const stat_row *a = pa, *b = pb;
  if (a->count != b->count) return a->count > b->count ? -1 : 1;
  return strcmp(a->code, b->code);
}

/* --statistics: findings per code, most frequent first (as ruff prints them). */
static void print_statistics(condlint_session *s, const char *format, FILE *out) {
  size_t nr = condlint_rule_count(), n = 0;
  stat_row *rows = calloc(nr + 1, sizeof *rows);
  if (!rows) return;
  for (size_t i = 0; i < condlint_session_diag_count(s); i++) {
    const condlint_diag *d = condlint_session_diag(s, i);
    size_t k = 0;
    while (k < n && strcmp(rows[k].code, condlint_diag_code(d))) k++;
    if (k == n) {
      if (n == nr + 1) continue;
      rows[n].code = condlint_diag_code(d);
      rows[n].name = condlint_diag_name(d);
      n++;
    }
    rows[k].count++;
  }
  qsort(rows, n, sizeof *rows, stat_cmp);
  if (!strcmp(format, "json")) {
    fputs("[", out);
    for (size_t i = 0; i < n; i++)
      fprintf(out, "%s\n  {\"code\": \"%s\", \"name\": \"%s\", \"count\": %zu}", i ? "," : "",
              rows[i].code, rows[i].name, rows[i].count);
    fputs(n ? "\n]\n" : "]\n", out);
  } else {
    for (size_t i = 0; i < n; i++)
      fprintf(out, "%5zu\t%s\t%s\n", rows[i].count, rows[i].code, rows[i].name);
  }
  free(rows);
}

/* Options shared by check and config: the configuration and the selection. */
typedef struct {
  const char *config_file;
  int isolated;
  const char *keys[256];
  const char *values[256];
  int n;
} config_opts;

/* Consume argv[*i] when it is a configuration option. 1: consumed; 0: not
 * one; -1: a usage error was reported. */
static int config_option(config_opts *co, int argc, char **argv, int *i) {
  static const char *const KEYS[] = {"select", "extend-select", "ignore", NULL};
  const char *a = argv[*i];
  if (!strcmp(a, "--isolated")) {
    co->isolated = 1;
    return 1;
  }
  if (!strcmp(a, "--force-exclude")) {
    if (co->n < 256) co->keys[co->n] = "force-exclude", co->values[co->n++] = "true";
    return 1;
  }
  const char *val = NULL;
  if (!strncmp(a, "--config", 8) && (a[8] == 0 || a[8] == '=')) {
    if (a[8] == '=') val = a + 9;
    else if (*i + 1 < argc) val = argv[++*i];
    else {
      usage_error("option '%s' needs a value", "--config");
      return -1;
    }
    co->config_file = val;
    return 1;
  }
  for (const char *const *k = KEYS; *k; k++) {
    size_t l = strlen(*k);
    if (strncmp(a, "--", 2) || strncmp(a + 2, *k, l) || (a[2 + l] && a[2 + l] != '=')) continue;
    if (a[2 + l] == '=') val = a + 3 + l;
    else if (*i + 1 < argc) val = argv[++*i];
    else {
      usage_error("option '%s' needs a value", a);
      return -1;
    }
    if (co->n == 256) {
      usage_error("%s", "too many selection options");
      return -1;
    }
    co->keys[co->n] = *k;
    co->values[co->n++] = val;
    return 1;
  }
  return 0;
}

/* Build the configuration; on error print the message and return NULL. */
static condlint_config *make_config(const config_opts *co) {
  if (co->config_file && co->isolated) {
    usage_error("%s", "--config and --isolated cannot be used together");
    return NULL;
  }
  condlint_config *cfg = condlint_config_new();
  condlint_config_set_isolated(cfg, co->isolated);
  if (co->config_file && condlint_config_set_file(cfg, co->config_file) != 0) {
    fprintf(stderr, "%s\n", condlint_config_error(cfg));
    condlint_config_free(cfg);
    return NULL;
  }
  for (int k = 0; k < co->n; k++)
    if (condlint_config_override(cfg, co->keys[k], co->values[k]) != 0) {
      fprintf(stderr, "condlint: %s\nTry 'condlint --help'.\n", condlint_config_error(cfg));
      condlint_config_free(cfg);
      return NULL;
    }
  return cfg;
}

static int cmd_config(int argc, char **argv) {
  config_opts co = {0};
  const char *path = NULL;
  for (int i = 0; i < argc; i++) {
    int r = config_option(&co, argc, argv, &i);
    if (r < 0) return 2;
    if (r) continue;
    if (argv[i][0] == '-' && argv[i][1]) return usage_error("unknown option '%s'", argv[i]);
    if (path) return usage_error("config takes one PATH, not also '%s'", argv[i]);
    path = argv[i];
  }
  condlint_config *cfg = make_config(&co);
  if (!cfg) return 2;
  int rc = 0;
  if (condlint_config_describe(cfg, path ? path : ".", stdout) != 0) {
    int io = strchr(condlint_config_error(cfg), ':') == NULL;
    fprintf(stderr, "%s%s\n", io ? "condlint: " : "", condlint_config_error(cfg));
    rc = 2;
  }
  condlint_config_free(cfg);
  if (fflush(stdout) != 0) rc = 2;
  return rc;
}

/* Print a session error: configuration errors as they are (path:line:col:
 * message, for editors and CI logs), others after "condlint: ", each line
 * (a walk names every path it could not read on a line of its own). */
static void session_error(condlint_session *s, int rc, const char *what) {
  const char *msg = condlint_session_error(s);
  if (rc == CONDLINT_ECONFIG) {
    fprintf(stderr, "%s\n", msg);
    return;
  }
  for (;;) {
    size_t n = strcspn(msg, "\n");
    fprintf(stderr, "condlint: %s%.*s\n", what, (int)n, msg);
    if (!msg[n]) break;
    msg += n + 1;
    what = "";
  }
}

/* condlint clean: remove the cache directory (only one condlint made). */
static int cmd_clean(int argc, char **argv) {
  const char *dir = NULL;
  for (int i = 0; i < argc; i++) {
    if (!strcmp(argv[i], "--cache-dir") && i + 1 < argc) dir = argv[++i];
    else if (!strncmp(argv[i], "--cache-dir=", 12)) dir = argv[i] + 12;
    else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
      fputs(USAGE, stdout);
      return 0;
    } else return usage_error("clean: unknown argument '%s'", argv[i]);
  }
  condlint_session *s = condlint_session_new();
  condlint_session_set_cache(s, dir, 1);
  int rc = condlint_session_clean_cache(s);
  if (rc != 0) fprintf(stderr, "condlint: %s\n", condlint_session_error(s));
  condlint_session_free(s);
  return rc == 0 ? 0 : 2;
}

/* Can path be opened as a directory? (Then an I/O error of its walk came from
 * something inside it.) */
static int readable_dir(const char *path) {
  DIR *d = opendir(path);
  if (!d) return 0;
  closedir(d);
  return 1;
}

static int cmd_check(int argc, char **argv) {
  const char *format = NULL, *stdin_name = NULL, *color_when = "auto", *output = NULL;
  const char *baseline = NULL, *compile_commands = NULL, *cache_dir = NULL;
  int exit_zero = 0, statistics = 0, update_baseline = 0, no_cache = 0;
  int fix = 0, unsafe_fixes = 0, diff = 0;
  long jobs = 0;
  const char *jobs_s = NULL; /* validated after the loop (OPTVAL continues) */
  config_opts co = {0};
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
  }                                                                             \
  if (sizeof(name) == 3 && !strncmp(a, name, 2) && a[2]) { /* -j4, -oFILE */    \
    var = a + 2;                                                                \
    continue;                                                                   \
  }
    OPTVAL("--output-format", format)
    OPTVAL("--output-file", output)
    OPTVAL("-o", output)
    OPTVAL("--stdin-filename", stdin_name)
    OPTVAL("--compile-commands", compile_commands)
    OPTVAL("-p", compile_commands)
    OPTVAL("--color", color_when)
    OPTVAL("--baseline", baseline)
    OPTVAL("--cache-dir", cache_dir)
    if (!strcmp(a, "--no-cache")) {
      no_cache = 1;
      continue;
    }
    OPTVAL("--jobs", jobs_s)
    OPTVAL("-j", jobs_s)
    if (!strcmp(a, "--exit-zero")) {
      exit_zero = 1;
      continue;
    }
    if (!strcmp(a, "--statistics")) {
      statistics = 1;
      continue;
    }
    if (!strcmp(a, "--update-baseline")) {
      update_baseline = 1;
      continue;
    }
    if (!strcmp(a, "--fix") || !strcmp(a, "--unsafe-fixes") || !strcmp(a, "--diff")) {
      if (a[2] == 'f') fix = 1;
      else if (a[2] == 'u') unsafe_fixes = 1;
      else diff = 1;
      continue;
    }
    int r = config_option(&co, argc, argv, &i);
    if (r < 0) {
      free(paths);
      return 2;
    }
    if (r) continue;
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
  if (jobs_s) {
    char *end;
    jobs = strtol(jobs_s, &end, 10);
    if (!*jobs_s || *end || jobs < 1 || jobs > 1024) {
      free(paths);
      return usage_error("--jobs needs a number from 1 to 1024, not '%s'", jobs_s);
    }
  }
  if (format && !known_format(format)) {
    free(paths);
    return usage_error("unknown output format '%s' (text, concise, json, sarif, github, gitlab, "
                       "junit)",
                       format);
  }
  if (update_baseline && !baseline) {
    free(paths);
    return usage_error("%s", "--update-baseline needs --baseline FILE");
  }
  if (strcmp(color_when, "always") && strcmp(color_when, "never") && strcmp(color_when, "auto")) {
    free(paths);
    return usage_error("--color takes auto, always or never, not '%s'", color_when);
  }
  condlint_config *cfg = make_config(&co);
  if (!cfg) {
    free(paths);
    return 2;
  }
  if (!format) {
    /* a bad configuration here is reported if it governs a checked file */
    const char *configured = NULL;
    if (condlint_config_output_format(cfg, &configured) != 0) configured = NULL;
    format = configured ? configured : "text";
  }
  int to_file = output && strcmp(output, "-");
  int color;
  if (!strcmp(color_when, "always")) {
    color = 1;
  } else if (!strcmp(color_when, "never")) {
    color = 0;
  } else {
    const char *nc = getenv("NO_COLOR"), *fc = getenv("FORCE_COLOR");
    if (nc && *nc) color = 0;
    else if (fc && *fc) color = 1;
    else color = !to_file && isatty(STDOUT_FILENO);
  }
  if (npaths == 0) paths[npaths++] = ".";

  condlint_session *s = condlint_session_new();
  condlint_session_set_config(s, cfg);
  condlint_session_set_jobs(s, (unsigned)jobs);
  condlint_session_set_cache(s, cache_dir, !no_cache);
  int rc = 0, incomplete = 0;
  if (compile_commands) {
    int crc = condlint_session_set_compile_commands(s, compile_commands);
    if (crc != 0) {
      session_error(s, crc, "");
      rc = 2;
    }
  }
  for (int i = 0; i < npaths && rc == 0; i++) {
    if (!strcmp(paths[i], "-")) {
      size_t len = 0;
      char *buf = read_stdin(&len);
      if (!buf) {
        fprintf(stderr, "condlint: cannot read standard input: %s\n", strerror(errno));
        rc = 2;
        break;
      }
      int arc = condlint_session_add_source(s, stdin_name ? stdin_name : "<stdin>", buf, len);
      free(buf);
      if (arc != 0) {
        session_error(s, arc, "");
        rc = 2;
        break;
      }
    } else {
      int arc = condlint_session_add_path(s, paths[i]);
      if (arc != 0) {
        session_error(s, arc, "");
        /* a directory whose walk met files or directories it cannot read:
         * the readable ones were added; check and report them, exit 2 */
        if (arc == CONDLINT_EIO && readable_dir(paths[i])) incomplete = 1;
        else rc = 2;
      }
    }
  }
  free(paths);
  if (rc == 0) {
    int arc = condlint_session_analyze(s);
    if (arc != 0) {
      session_error(s, arc, arc == CONDLINT_EINTERNAL ? "internal error: " : "");
      rc = 2;
    }
  }
  if (rc == 0 && (fix || diff)) {
    /* --diff shows the fixes and writes nothing; --fix writes them, then the
     * check runs again on the fixed files and reports what remains */
    int n = condlint_session_fix(s, unsafe_fixes, diff ? stdout : NULL);
    if (n < 0) {
      session_error(s, n, "");
      rc = 2;
    } else if (diff) {
      fprintf(stderr, "condlint: %d fix%s would be applied%s\n", n, n == 1 ? "" : "es",
              unsafe_fixes ? "" : " (unsafe ones need --unsafe-fixes)");
      rc = incomplete ? 2 : n > 0 ? 1 : 0;
      condlint_session_free(s);
      condlint_config_free(cfg);
      fflush(stdout);
      return rc;
    } else {
      fprintf(stderr, "condlint: fixed %d finding%s\n", n, n == 1 ? "" : "s");
      condlint_session_free(s);
      condlint_config_free(cfg);
      /* the same check without the fix options, on the files as they are now */
      int nargc = 0;
      char **nargv = calloc((size_t)argc + 1, sizeof(char *));
      if (!nargv) return 2;
      for (int i = 0; i < argc; i++)
        if (strcmp(argv[i], "--fix") && strcmp(argv[i], "--unsafe-fixes")) nargv[nargc++] = argv[i];
      int r2 = cmd_check(nargc, nargv);
      free(nargv);
      return r2;
    }
  }
  if (rc == 0 && baseline) {
    struct stat sb;
    int exists = stat(baseline, &sb) == 0;
    if (!exists && errno != ENOENT) {
      fprintf(stderr, "condlint: %s: %s\n", baseline, strerror(errno));
      rc = 2;
    } else if (!exists || update_baseline) {
      if (condlint_session_write_baseline(s, baseline) != 0) {
        fprintf(stderr, "condlint: %s\n", condlint_session_error(s));
        rc = 2;
      } else {
        size_t n = condlint_session_diag_count(s);
        fprintf(stderr, "condlint: recorded %zu finding%s in %s\n", n, n == 1 ? "" : "s",
                baseline);
      }
    }
    /* a baseline just written absorbs every finding: the report says so */
    if (rc == 0) {
      int brc = condlint_session_apply_baseline(s, baseline);
      if (brc != 0) {
        session_error(s, brc, "");
        rc = 2;
      }
    }
  }
  if (rc == 0) {
    outfile o;
    if (out_open(&o, output) != 0) {
      rc = 2;
    } else {
      int ok = 1;
      if (statistics) print_statistics(s, format, o.fp);
      else if (condlint_session_render(s, format, color, o.fp) != 0) ok = 0;
      if (!ok) fprintf(stderr, "condlint: internal error: cannot render the findings\n");
      if (out_close(&o, ok) != 0 || !ok) rc = 2;
    }
    if (rc == 0) {
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
  if (incomplete) rc = 2; /* not everything asked for was checked: --exit-zero cannot hide it */
  condlint_session_free(s);
  condlint_config_free(cfg);
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
  if (!strcmp(cmd, "clean")) return cmd_clean(argc - 2, argv + 2);
  if (!strcmp(cmd, "server")) return cmd_server(argc - 2, argv + 2);
  if (!strcmp(cmd, "config")) {
    for (int i = 2; i < argc; i++)
      if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
        fputs(USAGE, stdout);
        return 0;
      }
    return cmd_config(argc - 2, argv + 2);
  }
  return usage_error("unknown command '%s' (check, config, rule, server, clean)", cmd);
}
