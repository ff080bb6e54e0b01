/*
 * parse_guard.c — running tree-sitter on untrusted input: a CPU budget per
 * parse (tree-sitter-python's scanner is quadratic on some inputs), and the
 * guard against Debian's libtree-sitter 0.20.7 corrupting its heap on a node
 * of 65,536 children (the comment below, and parse_source.c for comment
 * floods, the other half of that bug).
 */
#define _GNU_SOURCE /* RTLD_NEXT */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "parse.h"

/* A function of the tree-sitter library's that this file replaces (see
 * below): visible to the dynamic linker, whatever the visibility the objects
 * are built with. */
#define CONDLINT_INTERPOSE __attribute__((visibility("default")))

/* The rest of that bug: a node is built from entries popped off the parse
 * stack, so only a file of tens of thousands of tokens can reach 65536
 * children (a long run of line continuations, 65536 tokens that end in one
 * ERROR). Two guards, the first where it works:
 *
 * In-process (wide_guard below). The bug is one instruction: 0.20.7's
 * ts_subtree_new_node(symbol, children, production_id, language) sizes the
 * node's allocation from children->size (32 bits) but stores it in the
 * node's 16-bit child_count (`mov %r14w,0x24(%rbx)` in Debian's
 * libtree-sitter.so.0; `objdump -d` it), so that every later walk, release or
 * free of that node reads a wrong count and a wrong pointer. It is the only
 * instruction of the library that stores a computed child_count (leaves store
 * 0, clones copy a count already stored), and every node the parser builds,
 * ERROR nodes and the root included, comes from ts_subtree_new_node, which
 * the library calls through its PLT (its own calls included: it is built
 * without -Bsymbolic). This file defines a function of that name: linked into
 * an executable, the dynamic linker binds the library's calls to it, and it
 * hands every node of 65535 children or fewer to the library's own
 * (dlsym RTLD_NEXT) unchanged. A node of 65536 or more is never built: the
 * parse is abandoned there by a longjmp back to parse_budgeted, before the
 * store, and the parser it ran in is never touched again (nothing of it is
 * freed, nothing of it is read; tree-sitter holds no lock and no global
 * state), so no instruction ever reads the truncated count. The file is then
 * refused, as when the trial child died. An abandoned parser's memory is
 * lost (kept reachable, for leak checkers): after a few, heavy files go to
 * the trial below, whose child loses it. Whether the library's calls do
 * reach this function (not so when linked into libcondlint.so, whose version
 * script hides it, or against a tree-sitter built otherwise) is checked
 * once, by parsing a line and counting the nodes it saw; when they do not,
 * the second guard applies. The in-process guard is exact where the trial is not (a
 * corruption that does not crash the child is not seen by the trial), costs
 * nothing, and works while other threads run.
 *
 * Trial in a child process, when the first guard is not in place: a heavy
 * file is first parsed in a child process; when that child dies the file is
 * not parsed here. The trial forks, which is safe only while this process has
 * one thread (ASan's allocator deadlocks otherwise): the session parses heavy
 * files before it starts its workers. */
#define HEAVY_TOKENS 32768

/* An upper bound on the tokens of src: a run of word bytes is one token,
 * every other visible byte one, every newline three (NEWLINE, INDENT, DEDENT). */
static size_t token_bound(const char *src, size_t len) {
  size_t n = 0;
  bool word = false;
  for (size_t i = 0; i < len; i++) {
    unsigned char ch = (unsigned char)src[i];
    bool w = (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
             ch == '_' || ch >= 0x80;
    if (w && !word) n++;
    else if (!w) n += ch == '\n' ? 3 : ch == ' ' || ch == '\t' || ch == '\r' || ch == '\f' ? 0 : 1;
    word = w;
  }
  return n;
}

static bool wide_guarded(void);

/* Heavy: parsed first, while the process has one thread, so that its trial
 * can fork. Where the in-process guard is in place no file needs the trial
 * first (past ABANDONED_MAX abandoned parses the guard still refuses, the
 * parser's memory is lost instead), so none is heavy and all parse in
 * parallel. */
bool cl_parse_is_heavy(const cl_file *f) {
  return !wide_guarded() && token_bound(f->bytes, f->len) >= HEAVY_TOKENS;
}

/* ---- the in-process guard ---- */

/* tree-sitter 0.20.7's SubtreeArray (lib/src/array.h: Array(Subtree)); only
 * size is read. */
typedef struct {
  void *contents;
  uint32_t size, capacity;
} ts_subtree_array;

typedef void *(*new_node_fn)(uint16_t, ts_subtree_array *, unsigned, const TSLanguage *);

static new_node_fn real_new_node;
static pthread_once_t real_new_node_once = PTHREAD_ONCE_INIT;
static bool wide_guard_works;
static pthread_once_t wide_guard_once = PTHREAD_ONCE_INIT;

static void find_real_new_node(void) {
  real_new_node = (new_node_fn)dlsym(RTLD_NEXT, "ts_subtree_new_node");
}
static _Thread_local jmp_buf *wide_guard; /* set while parse_budgeted parses */

/* The parsers the guard abandoned: kept reachable (they are not freed, and a
 * leak checker is not to report them), a few at most; past that, heavy files
 * get the trial instead, whose child does the leaking. */
#define ABANDONED_MAX 8
static TSParser *volatile abandoned[ABANDONED_MAX];
static _Atomic unsigned nabandoned;
static _Thread_local unsigned long wide_guard_nodes; /* nodes seen, for the check */

/* Not static: the name is the library's, so that its calls come here (see
 * above). MutableSubtree, the return type, is a union of one pointer. */
CONDLINT_INTERPOSE void *ts_subtree_new_node(uint16_t symbol, ts_subtree_array *children,
                                             unsigned production_id, const TSLanguage *language);
CONDLINT_INTERPOSE void *ts_subtree_new_node(uint16_t symbol, ts_subtree_array *children,
                                             unsigned production_id, const TSLanguage *language) {
  pthread_once(&real_new_node_once, find_real_new_node);
  if (!real_new_node) abort(); /* called, so the library defines it */
  wide_guard_nodes++;
  if (children->size > UINT16_MAX) {
    if (wide_guard) longjmp(*wide_guard, 1);
    /* a parse outside parse_budgeted (the TOML grammar's, config.c): build
     * the node from its first 65535 children, a node whose count is right;
     * the others are leaked, the tree is wrong but sound */
    children->size = UINT16_MAX;
  }
  return real_new_node(symbol, children, production_id, language);
}

static void wide_guard_check(void) {
  TSParser *p = ts_parser_new();
  ts_parser_set_language(p, tree_sitter_python());
  unsigned long before = wide_guard_nodes;
  TSTree *t = ts_parser_parse_string(p, NULL, "x = (1)\n", 8);
  wide_guard_works = t && wide_guard_nodes > before;
  ts_tree_delete(t);
  ts_parser_delete(p);
}

/* Is the in-process guard in place? */
static bool wide_guarded(void) {
  pthread_once(&wide_guard_once, wide_guard_check);
  return wide_guard_works;
}

/* ---- the trial ---- */

static bool single_threaded(void) {
  FILE *fp = fopen("/proc/self/status", "r");
  if (!fp) return false;
  char line[256];
  long threads = 0;
  while (fgets(line, sizeof line, fp))
    if (!strncmp(line, "Threads:", 8)) threads = strtol(line + 8, NULL, 10);
  fclose(fp);
  return threads == 1;
}

/* Parsing is close to linear, but some inputs make the Python grammar's
 * scanner quadratic (thousands of lines holding only a line continuation):
 * a parse gets 10 s of CPU time plus 4 s per MiB, far more than a real file
 * needs even under ASan. CPU time of this thread, not the wall clock
 * (tree-sitter's own timeout), so that a loaded machine refuses nothing: the
 * input is handed to tree-sitter in chunks, and each chunk it asks for checks
 * the budget and, past it, raises the parser's cancellation flag. */
typedef struct {
  const char *src;
  size_t len;
  uint64_t deadline_ns;
  size_t cancel;
} budget_input;

static uint64_t thread_cpu_ns(void) {
  struct timespec t;
  if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t) != 0) return 0;
  return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static const char *budget_read(void *payload, uint32_t byte, TSPoint pos, uint32_t *n) {
  budget_input *in = payload;
  (void)pos;
  if (!in->cancel && thread_cpu_ns() > in->deadline_ns) in->cancel = 1;
  if (in->cancel || byte >= in->len) {
    *n = 0;
    return "";
  }
  size_t left = in->len - byte;
  *n = (uint32_t)(left < 4096 ? left : 4096);
  return in->src + byte;
}

/* Why the last cl_parse_guarded of this thread refused: 1 crash, 2 out of time. */
static _Thread_local int refused_why;

int cl_parse_refused_why(void) { return refused_why; }

/* *parser is replaced by a new one when the in-process guard abandons a
 * parse in it. */
static TSTree *parse_budgeted(TSParser **parser, const TSTree *old, const char *src, size_t len) {
  budget_input in = {src, len, thread_cpu_ns() + 10000000000u + (uint64_t)len * 4000, 0};
  TSInput input = {&in, budget_read, TSInputEncodingUTF8};
  TSParser *volatile p = *parser;
  jmp_buf env;
  if (wide_guarded()) {
    if (setjmp(env)) { /* a node of 65536 children: p is left as it is */
      wide_guard = NULL;
      unsigned k = atomic_fetch_add(&nabandoned, 1);
      if (k < ABANDONED_MAX) abandoned[k] = p;
      TSParser *fresh = ts_parser_new();
      ts_parser_set_language(fresh, tree_sitter_python());
      *parser = fresh;
      refused_why = 1;
      return NULL;
    }
    wide_guard = &env;
  }
  ts_parser_set_cancellation_flag(p, &in.cancel);
  TSTree *t = ts_parser_parse(p, old, input);
  wide_guard = NULL;
  ts_parser_set_cancellation_flag(p, NULL);
  if (t && in.cancel) { /* cut short: not the file's tree */
    ts_tree_delete(t);
    t = NULL;
  }
  if (!t) {
    ts_parser_reset(p);
    refused_why = 2;
  }
  return t;
}

TSTree *cl_parse_guarded(TSParser **parser, const TSTree *old, const char *src, size_t len,
                         bool *refused) {
  bool trial = !wide_guarded() || atomic_load(&nabandoned) >= ABANDONED_MAX;
  if (trial && token_bound(src, len) >= HEAVY_TOKENS && single_threaded()) {
    pid_t pid = fork();
    if (pid == 0) { /* the trial: parse quietly, leave no core */
      struct rlimit no_core = {0, 0};
      setrlimit(RLIMIT_CORE, &no_core);
      int null = open("/dev/null", O_WRONLY);
      if (null >= 0) dup2(null, STDERR_FILENO);
      TSTree *t = parse_budgeted(parser, old, src, len);
      if (!t) _exit(refused_why == 2 ? 3 : 4);
      ts_tree_delete(t);
      _exit(0);
    }
    int st = 0;
    while (pid > 0 && waitpid(pid, &st, 0) < 0 && errno == EINTR) continue;
    if (pid < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
      refused_why = pid > 0 && WIFEXITED(st) && WEXITSTATUS(st) == 3 ? 2 : 1;
      *refused = true;
      return NULL;
    }
  }
  TSTree *t = parse_budgeted(parser, old, src, len);
  if (!t) *refused = true;
  return t;
}
