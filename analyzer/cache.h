/*
 * cache.h — the on-disk cache that makes a repeated run cheap.
 *
 * Three kinds of entries, under <dir>/v<format>/<build key>/ (the four most
 * recently used builds are kept):
 *   summaries   one per distinct content (key: the content hash with the
 *               build key and the configuration hash), in pack files p/
 *               (cache_pack.h: one per run that writes any, merged when
 *               more than 8): the file's lowered IR (serialize.c), its
 *               parse-stage findings (CL901, CL903, CL904) and its prefilter
 *               verdict. A header (magic, format, condlint version, build
 *               key, content hash, length, checksum) guards each one:
 *               anything that does not check out is ignored, and rewritten
 *               after the parse.
 *   verdicts    one index of the prefilter's verdict per path, keyed by
 *               (size, mtime_ns, inode, device), with the content hash: a run
 *               need not even read a file it skipped before while its stat
 *               is unchanged; when only the stat changed, the content hash
 *               decides.
 *   results     r/KEY: a whole run's findings and what they depend on,
 *               encoded and checked by results.c.
 * Every file is written to a temporary name and renamed into place, so that
 * concurrent runs never see or leave a partial entry; summaries are written
 * by a thread of the cache's own into the run's pack, which cl_cache_close
 * waits for and then renames into place.
 * The directory is <project root>/.condlint_cache (the nearest directory
 * with .git, pyproject.toml or condlint.toml above the working directory,
 * else the working directory) unless set; it holds a CACHEDIR.TAG.
 * Module prefix: cl_cache_, cl_hash.
 */
#ifndef CONDLINT_CACHE_H
#define CONDLINT_CACHE_H

#include "internal.h"

/* ---- hashing (MurmurHash3 x64 128, public domain algorithm) --------------- */

typedef struct {
  uint64_t lo, hi;
} cl_hash;

cl_hash cl_hash128(const void *p, size_t n, uint64_t seed);
static inline bool cl_hash_eq(cl_hash a, cl_hash b) { return a.lo == b.lo && a.hi == b.hi; }

#include "prefilter.h" /* cl_scan (after cl_hash, which prefilter.h uses) */

/* ---- the cache ------------------------------------------------------------- */

typedef struct cl_cache cl_cache;

/* The default directory (malloc'd). */
char *cl_cache_default_dir(void);

/* Open the cache in dir (NULL: the default). Never fails: a directory that
 * cannot be created or written only makes every lookup miss. Reads the
 * verdict index. */
cl_cache *cl_cache_open(const char *dir);
/* Write the verdict index when it changed, then free. NULL is a no-op. */
void cl_cache_close(cl_cache *c);

/* A file's identity on disk. */
typedef struct {
  uint64_t size, mtime_ns, ino, dev;
} cl_statkey;

/* The verdict recorded for abspath. With a stat key equal to the recorded
 * one (and not recorded as racy), *hash and *scan are filled and true is
 * returned; with a different stat key, only when want_hash (the content's
 * hash, read by the caller) equals the recorded one. *scan gets copies.
 * Thread-safe between cl_cache_open and the first cl_cache_verdict_put. */
bool cl_cache_verdict_get(cl_cache *c, const char *abspath, const cl_statkey *k,
                          const cl_hash *want_hash, cl_hash *hash, cl_scan *scan);
/* Record a verdict (single-threaded). A file modified within the last
 * seconds is recorded as racy: its stat key will not be trusted. */
void cl_cache_verdict_put(cl_cache *c, const char *abspath, const cl_statkey *k, cl_hash hash,
                          const cl_scan *scan);

/* Load the summary of content hash h into f (f->mod, in f's arena) and
 * re-emit its parse-stage findings into s; *flags gets the verdict's flags.
 * false when there is none or it does not check out. Thread-safe. */
bool cl_cache_summary_load(cl_cache *c, condlint_session *s, cl_file *f, cl_hash h,
                           uint32_t *flags);
/* Store f's summary (f->mod set) with its parse-stage findings. Thread-safe.
 * The IR is encoded later, by the cache's writer thread: until
 * cl_cache_close, f must live and its IR must not change, unless
 * f->lazy_bodies (a skeleton's IR, encoded now). */
void cl_cache_summary_store(cl_cache *c, const cl_file *f, cl_hash h, uint32_t flags,
                            condlint_diag *const *diags, size_t ndiags);

/* A whole run's recorded results (results.c), stored under r/ by a key of
 * the run's inputs, with the same header checks as a summary. Read without
 * opening the cache (no verdict index is loaded): the payload is
 * buf[*off .. *off + *len) of the malloc'd buffer returned, or NULL. */
uint8_t *cl_cache_results_read(const char *dir, cl_hash key, size_t *off, size_t *len);
void cl_cache_results_write(cl_cache *c, cl_hash key, const void *p, size_t n);

/* Counters, for statistics. */
typedef struct {
  size_t verdict_hits, verdict_rehash_hits, verdict_misses, summary_hits, summary_misses,
      summary_bad, summary_writes, write_errors;
} cl_cache_stats;
void cl_cache_get_stats(const cl_cache *c, cl_cache_stats *out);
const char *cl_cache_dir(const cl_cache *c);

/* Remove the cache directory dir (NULL: the default): only a directory that
 * holds condlint's CACHEDIR.TAG (or does not exist). 0, or a negative
 * CONDLINT_E* code with a message in *err (malloc'd). */
int cl_cache_clean(const char *dir, char **err);

#endif
