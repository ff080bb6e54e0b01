/* cache.c — the summary cache and the prefilter's verdict index (see cache.h).
 *
 * Keys. A summary is looked up by a hash of (content hash, build key,
 * configuration hash). The build key covers the condlint version, the cache
 * format, the IR's layout and the build itself (the GNU build-id of the
 * object holding this code, when it has one), so that a rebuilt condlint
 * whose parser lowers differently never reads the IR of another build. The
 * configuration hash covers the settings a summary depends on: none today
 * (select, ignore, severities and contracts apply after the cache), so it is
 * a constant that a future parse setting must join. Verdicts are keyed by
 * path and checked against the stat key, then the content hash, and depend
 * on the prefilter's patterns (part of the build key). */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <link.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cache.h"
#include "cache_pack.h"
#include "serialize.h"

const condlint_rule *cl_rule_lookup(const char *code, const char **name, condlint_severity *sev);

#define CACHE_NAME ".condlint_cache"
#define TAG_NAME "CACHEDIR.TAG"
#define TAG_TEXT                                                                 \
  "Signature: 8a477f597d28d172789f06886806bc55\n"                                \
  "# This file is a cache directory tag created by condlint.\n"                  \
  "# For information about cache directory tags, see https://bford.info/cachedir/\n"
#define MAX_BLOB (256u << 20)
#define RACY_SECONDS 3
#define KEEP_BUILDS 4 /* build directories kept; older ones are removed */

/* ---- MurmurHash3 x64 128 ---------------------------------------------------- */

static inline uint64_t rotl64(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

static inline uint64_t fmix64(uint64_t k) {
  k ^= k >> 33;
  k *= 0xff51afd7ed558ccdull;
  k ^= k >> 33;
  k *= 0xc4ceb9fe1a85ec53ull;
  return k ^ (k >> 33);
}

static inline uint64_t load64(const uint8_t *p) {
  uint64_t v;
  memcpy(&v, p, 8);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
  v = __builtin_bswap64(v);
#endif
  return v;
}

cl_hash cl_hash128(const void *key, size_t len, uint64_t seed) {
  const uint8_t *data = key;
  const size_t nblocks = len / 16;
  uint64_t h1 = seed, h2 = seed;
  const uint64_t c1 = 0x87c37b91114253d5ull, c2 = 0x4cf5ad432745937full;
  for (size_t i = 0; i < nblocks; i++) {
    uint64_t k1 = load64(data + i * 16), k2 = load64(data + i * 16 + 8);
    k1 *= c1, k1 = rotl64(k1, 31), k1 *= c2, h1 ^= k1;
    h1 = rotl64(h1, 27), h1 += h2, h1 = h1 * 5 + 0x52dce729;
    k2 *= c2, k2 = rotl64(k2, 33), k2 *= c1, h2 ^= k2;
    h2 = rotl64(h2, 31), h2 += h1, h2 = h2 * 5 + 0x38495ab5;
  }
  const uint8_t *tail = data + nblocks * 16;
  uint64_t k1 = 0, k2 = 0;
  size_t rest = len & 15;
  for (size_t i = rest; i > 8; i--) k2 ^= (uint64_t)tail[i - 1] << (8 * (i - 9));
  if (rest > 8) k2 *= c2, k2 = rotl64(k2, 33), k2 *= c1, h2 ^= k2;
  for (size_t i = rest < 8 ? rest : 8; i > 0; i--) k1 ^= (uint64_t)tail[i - 1] << (8 * (i - 1));
  if (rest) k1 *= c1, k1 = rotl64(k1, 31), k1 *= c2, h1 ^= k1;
  h1 ^= len, h2 ^= len;
  h1 += h2, h2 += h1;
  h1 = fmix64(h1), h2 = fmix64(h2);
  h1 += h2, h2 += h1;
  return (cl_hash){h1, h2};
}

/* ---- the build key ----------------------------------------------------------- */

typedef struct {
  uintptr_t addr;
  uint8_t id[64];
  size_t n;
} build_id_ctx;

static int find_build_id(struct dl_phdr_info *info, size_t size, void *data) {
  (void)size;
  build_id_ctx *c = data;
  bool mine = false;
  for (int i = 0; i < info->dlpi_phnum && !mine; i++) {
    const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
    uintptr_t lo = info->dlpi_addr + ph->p_vaddr;
    if (ph->p_type == PT_LOAD && c->addr >= lo && c->addr < lo + ph->p_memsz) mine = true;
  }
  if (!mine) return 0;
  for (int i = 0; i < info->dlpi_phnum; i++) {
    const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
    if (ph->p_type != PT_NOTE) continue;
    const uint8_t *p = (const uint8_t *)(info->dlpi_addr + ph->p_vaddr), *end = p + ph->p_memsz;
    while (p + sizeof(ElfW(Nhdr)) <= end) {
      const ElfW(Nhdr) *nh = (const ElfW(Nhdr) *)(const void *)p;
      const uint8_t *name = p + sizeof *nh;
      const uint8_t *desc = name + ((nh->n_namesz + 3) & ~3u);
      const uint8_t *next = desc + ((nh->n_descsz + 3) & ~3u);
      if (next > end) break;
      if (nh->n_type == NT_GNU_BUILD_ID && nh->n_namesz == 4 && !memcmp(name, "GNU", 4) &&
          nh->n_descsz <= sizeof c->id) {
        memcpy(c->id, desc, nh->n_descsz);
        c->n = nh->n_descsz;
        return 1;
      }
      p = next;
    }
  }
  return 1;
}

/* The directory's layout (v1/BUILDKEY/...), not the encoding's format: a
 * new format is a new build key, whose directory joins the others under
 * v1/, where the least recently used builds are removed. */
#define CACHE_LAYOUT 1

static uint64_t the_build_key;
static pthread_once_t build_key_once = PTHREAD_ONCE_INIT;

/* cl_cache_open's address names the object (executable or shared library)
 * this code was linked into. */
static void compute_build_key(void) {
  build_id_ctx c = {0};
  c.addr = (uintptr_t)&cl_cache_open;
  dl_iterate_phdr(find_build_id, &c);
  cl_buf b = {0};
  cl_buf_str(&b, CONDLINT_VERSION);
  cl_buf_u64le(&b, CL_SER_FORMAT);
  cl_buf_u64le(&b, cl_ser_layout_signature());
  cl_buf_str(&b, cl_prefilter_signature());
  cl_buf_put(&b, c.id, c.n);
  the_build_key = cl_hash128(b.p, b.n, 0x636f6e646c696e74ull).lo;
  cl_buf_free(&b);
}

static uint64_t build_key(void) {
  pthread_once(&build_key_once, compute_build_key);
  return the_build_key;
}

/* The settings a summary depends on (see the header comment): none yet. */
static uint64_t config_key(void) { return 0x6e6f2d73657474ull; }

/* ---- paths and files ----------------------------------------------------------- */

static bool exists(const char *dir, const char *name) {
  char *p = cl_xasprintf("%s/%s", dir, name);
  struct stat st;
  bool ok = stat(p, &st) == 0;
  free(p);
  return ok;
}

char *cl_cache_default_dir(void) {
  char *cwd = getcwd(NULL, 0);
  if (!cwd) return cl_xstrdup(CACHE_NAME);
  char *dir = cl_xstrdup(cwd);
  for (;;) {
    if (exists(dir, ".git") || exists(dir, "pyproject.toml") || exists(dir, "condlint.toml")) {
      char *out = cl_xasprintf("%s%s%s", dir, strcmp(dir, "/") ? "/" : "", CACHE_NAME);
      free(dir);
      free(cwd);
      return out;
    }
    char *slash = strrchr(dir, '/');
    if (!slash || slash == dir) break;
    *slash = 0;
  }
  free(dir);
  char *out = cl_xasprintf("%s%s%s", cwd, strcmp(cwd, "/") ? "/" : "", CACHE_NAME);
  free(cwd);
  return out;
}

/* mkdir -p */
static bool make_dirs(const char *path) {
  struct stat st;
  if (stat(path, &st) == 0) return S_ISDIR(st.st_mode);
  char *p = cl_xstrdup(path);
  for (char *s = p + 1; *s; s++) {
    if (*s != '/') continue;
    *s = 0;
    if (mkdir(p, 0777) != 0 && errno != EEXIST) {
      free(p);
      return false;
    }
    *s = '/';
  }
  bool ok = mkdir(p, 0777) == 0 || errno == EEXIST;
  free(p);
  return ok;
}

/* Write n bytes at path atomically: a temporary file beside it, renamed. */
static bool write_atomic(const char *path, const void *data, size_t n) {
  char *tmp = cl_xasprintf("%s.tmpXXXXXX", path);
  int fd = mkstemp(tmp);
  if (fd < 0) {
    free(tmp);
    return false;
  }
  const uint8_t *p = data;
  bool ok = true;
  while (n && ok) {
    ssize_t w = write(fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) ok = false;
    else p += w, n -= (size_t)w;
  }
  if (close(fd) != 0) ok = false;
  if (ok && rename(tmp, path) != 0) ok = false;
  if (!ok) unlink(tmp);
  free(tmp);
  return ok;
}

/* Read a whole file (at most max bytes). */
static uint8_t *read_all(const char *path, size_t max, size_t *len) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return NULL;
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (uint64_t)st.st_size > max) {
    close(fd);
    return NULL;
  }
  size_t want = (size_t)st.st_size, got = 0;
  uint8_t *buf = cl_xmalloc(want + 1);
  while (got < want) {
    ssize_t r = read(fd, buf + got, want - got);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break;
    got += (size_t)r;
  }
  close(fd);
  if (got != want) {
    free(buf);
    return NULL;
  }
  *len = got;
  return buf;
}

/* ---- the cache ------------------------------------------------------------------ */

typedef struct {
  char *path;
  cl_statkey k;
  cl_hash h;
  bool racy, seen;
  cl_scan scan;
} ventry;

struct cl_cache {
  char *dir, *vdir, *index_path;
  bool ready;    /* the directories exist */
  bool created;  /* this run made the build's directory */
  bool failed;   /* creating them failed: store nothing */
  pthread_mutex_t lock;
  ventry *v;
  size_t nv, capv;
  uint32_t *slots; /* open addressing over v, by path; UINT32_MAX: empty */
  size_t nslots;
  bool dirty;
  cl_cache_stats st;
  /* summaries are written by a thread of their own, while the parse and the
   * analysis go on; cl_cache_close waits for it */
  pthread_mutex_t qlock;
  pthread_cond_t qcond;
  cl_vec queue;   /* pending: job * */
  bool writer, closing;
  pthread_t writer_thread;
  cl_packs *packs; /* the summaries (cache_pack.c) */
};

/* A write for the writer thread: b's bytes, the summary of key, into this
 * run's pack; when f is set, b holds the start of f's summary and the rest
 * (f's IR, and the frame) is made by the writer, beside the analysis. */
typedef struct {
  cl_hash key;
  cl_buf b;
  const cl_file *f;
  cl_hash h;
} job;

static void summary_finish(job *j);

static void run_job(cl_cache *c, job *j) {
  if (j->f) summary_finish(j);
  if (!cl_packs_put(c->packs, j->key, j->b.p, j->b.n)) __atomic_fetch_add(&c->st.write_errors, 1, __ATOMIC_RELAXED);
  cl_buf_free(&j->b);
  free(j);
}

static void *writer_main(void *arg) {
  cl_cache *c = arg;
  pthread_mutex_lock(&c->qlock);
  for (;;) {
    while (!c->queue.n && !c->closing) pthread_cond_wait(&c->qcond, &c->qlock);
    if (!c->queue.n) break;
    job *j = c->queue.v[--c->queue.n];
    pthread_mutex_unlock(&c->qlock);
    run_job(c, j);
    pthread_mutex_lock(&c->qlock);
  }
  pthread_mutex_unlock(&c->qlock);
  return NULL;
}

/* Queue j (taken); run now if no thread can be made. */
static void write_later(cl_cache *c, job *j) {
  pthread_mutex_lock(&c->qlock);
  if (!c->writer) c->writer = pthread_create(&c->writer_thread, NULL, writer_main, c) == 0;
  if (c->writer) {
    cl_vec_push(&c->queue, j);
    pthread_cond_signal(&c->qcond);
    pthread_mutex_unlock(&c->qlock);
    return;
  }
  pthread_mutex_unlock(&c->qlock);
  run_job(c, j);
}

static void writer_join(cl_cache *c) {
  pthread_mutex_lock(&c->qlock);
  c->closing = true;
  pthread_cond_signal(&c->qcond);
  bool joined = c->writer;
  pthread_mutex_unlock(&c->qlock);
  if (joined) pthread_join(c->writer_thread, NULL);
  cl_vec_free(&c->queue);
}

static uint64_t path_hash(const char *s) { return cl_hash128(s, strlen(s), 7).lo; }

static void index_rehash(cl_cache *c) {
  size_t n = 64;
  while (n < c->nv * 2 + 2) n *= 2;
  free(c->slots);
  c->slots = cl_xmalloc(n * sizeof *c->slots);
  memset(c->slots, 0xff, n * sizeof *c->slots);
  c->nslots = n;
  for (size_t i = 0; i < c->nv; i++) {
    size_t j = (size_t)path_hash(c->v[i].path) & (n - 1);
    while (c->slots[j] != UINT32_MAX) j = (j + 1) & (n - 1);
    c->slots[j] = (uint32_t)i;
  }
}

static ventry *index_find(const cl_cache *c, const char *path) {
  if (!c->nslots) return NULL;
  size_t j = (size_t)path_hash(path) & (c->nslots - 1);
  while (c->slots[j] != UINT32_MAX) {
    ventry *e = &c->v[c->slots[j]];
    if (!strcmp(e->path, path)) return e;
    j = (j + 1) & (c->nslots - 1);
  }
  return NULL;
}

static ventry *index_add(cl_cache *c, const char *path) {
  if (c->nv == c->capv) {
    c->capv = c->capv ? c->capv * 2 : 256;
    c->v = cl_xrealloc(c->v, c->capv * sizeof *c->v);
  }
  ventry *e = &c->v[c->nv++];
  memset(e, 0, sizeof *e);
  e->path = cl_xstrdup(path);
  if ((c->nv + 1) * 2 > c->nslots) {
    index_rehash(c);
  } else {
    size_t j = (size_t)path_hash(path) & (c->nslots - 1);
    while (c->slots[j] != UINT32_MAX) j = (j + 1) & (c->nslots - 1);
    c->slots[j] = (uint32_t)(c->nv - 1);
  }
  return e;
}

static char *dup_str(const char *s, bool isnull) { return isnull ? NULL : cl_xstrdup(s); }

/* The verdict index: "CLVI", format, build key, payload length, checksum, payload. */
static void index_load(cl_cache *c) {
  size_t len;
  uint8_t *buf = read_all(c->index_path, MAX_BLOB, &len);
  if (!buf) return;
  cl_rd r = {buf, buf + len, false};
  bool ok = cl_rd_u32le(&r) == 0x49564c43u /* CLVI */ && cl_rd_u32le(&r) == CL_SER_FORMAT &&
            cl_rd_u64le(&r) == build_key();
  uint64_t plen = cl_rd_u64le(&r), sum = cl_rd_u64le(&r);
  ok = ok && !r.bad && plen == (uint64_t)(r.end - r.p) && cl_hash128(r.p, (size_t)plen, 1).lo == sum;
  if (!ok) {
    free(buf);
    return;
  }
  cl_arena *a = cl_arena_new();
  uint64_t n = cl_rd_varint(&r);
  for (uint64_t i = 0; i < n && !r.bad; i++) {
    bool nul;
    const char *path = cl_rd_str(&r, a, &nul);
    cl_statkey k;
    k.size = cl_rd_varint(&r);
    k.mtime_ns = cl_rd_varint(&r);
    k.ino = cl_rd_varint(&r);
    k.dev = cl_rd_varint(&r);
    cl_hash h;
    h.lo = cl_rd_u64le(&r);
    h.hi = cl_rd_u64le(&r);
    uint64_t flags = cl_rd_varint(&r);
    bool n1, n2, n3;
    const char *im = cl_rd_str(&r, a, &n1), *ops = cl_rd_str(&r, a, &n2), *regs = cl_rd_str(&r, a, &n3);
    if (r.bad || nul || index_find(c, path)) continue;
    ventry *e = index_add(c, path);
    e->k = k;
    e->h = h;
    e->racy = (flags >> 32) & 1;
    e->scan.flags = (uint32_t)flags;
    e->scan.imports = dup_str(im, n1);
    e->scan.ops = dup_str(ops, n2);
    e->scan.regs = dup_str(regs, n3);
  }
  cl_arena_free(a);
  free(buf);
  if (r.bad) { /* keep nothing of a damaged index */
    for (size_t i = 0; i < c->nv; i++) {
      free(c->v[i].path);
      cl_scan_free(&c->v[i].scan);
    }
    c->nv = 0;
    index_rehash(c);
  }
}

static bool ensure_dirs(cl_cache *c) {
  if (c->ready) return true;
  if (c->failed) return false;
  pthread_mutex_lock(&c->lock);
  if (!c->ready && !c->failed) {
    struct stat st;
    bool fresh = stat(c->dir, &st) != 0;
    c->created = stat(c->vdir, &st) != 0;
    char *pdir = cl_xasprintf("%s/p", c->vdir);
    bool made = make_dirs(pdir);
    free(pdir);
    if (made) {
      char *tag = cl_xasprintf("%s/%s", c->dir, TAG_NAME);
      if (fresh || stat(tag, &st) != 0) {
        write_atomic(tag, TAG_TEXT, strlen(TAG_TEXT));
        char *gi = cl_xasprintf("%s/.gitignore", c->dir);
        write_atomic(gi, "# created by condlint\n*\n", 23);
        free(gi);
      }
      free(tag);
      c->ready = true;
    } else {
      c->failed = true;
    }
  }
  pthread_mutex_unlock(&c->lock);
  return c->ready;
}

/* Each build has a directory of its own under v<format>/, whose "used" file
 * is touched by every run of that build. When a run creates one, all but the
 * KEEP_BUILDS most recently used are removed: rebuilding condlint does not
 * grow the cache without bound. A run of a removed build only misses. */
static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw);

static void remove_old_builds(cl_cache *c) {
  char *top = cl_xasprintf("%s/v%d", c->dir, CACHE_LAYOUT);
  DIR *d = opendir(top);
  if (!d) {
    free(top);
    return;
  }
  typedef struct {
    char *path;
    int64_t used;
  } build;
  build *v = NULL;
  size_t n = 0, cap = 0;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (strlen(e->d_name) != 16 || strspn(e->d_name, "0123456789abcdef") != 16) continue;
    char *path = cl_xasprintf("%s/%s", top, e->d_name), *used = cl_xasprintf("%s/used", path);
    struct stat st;
    int64_t t = stat(used, &st) == 0 ? (int64_t)st.st_mtim.tv_sec : 0;
    free(used);
    if (n == cap) v = cl_xrealloc(v, (cap = cap ? cap * 2 : 8) * sizeof *v);
    v[n++] = (build){path, t};
  }
  closedir(d);
  for (size_t i = 0; i < n; i++) { /* newest first */
    size_t best = i;
    for (size_t j = i + 1; j < n; j++)
      if (v[j].used > v[best].used) best = j;
    build t = v[i];
    v[i] = v[best];
    v[best] = t;
  }
  for (size_t i = 0; i < n; i++) {
    if (i >= KEEP_BUILDS && strcmp(v[i].path, c->vdir)) nftw(v[i].path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(v[i].path);
  }
  free(v);
  free(top);
}

cl_cache *cl_cache_open(const char *dir) {
  cl_cache *c = cl_xcalloc(1, sizeof *c);
  c->dir = dir ? cl_xstrdup(dir) : cl_cache_default_dir();
  c->vdir = cl_xasprintf("%s/v%d/%016llx", c->dir, CACHE_LAYOUT, (unsigned long long)build_key());
  c->index_path = cl_xasprintf("%s/verdicts", c->vdir);
  char *pdir = cl_xasprintf("%s/p", c->vdir);
  c->packs = cl_packs_new(pdir);
  free(pdir);
  pthread_mutex_init(&c->lock, NULL);
  pthread_mutex_init(&c->qlock, NULL);
  pthread_cond_init(&c->qcond, NULL);
  index_rehash(c);
  index_load(c);
  char *used = cl_xasprintf("%s/used", c->vdir);
  utimensat(AT_FDCWD, used, NULL, 0); /* this build is in use (a no-op when absent) */
  free(used);
  return c;
}

static void index_store(cl_cache *c) {
  cl_buf p = {0};
  size_t n = 0;
  for (size_t i = 0; i < c->nv; i++) n += c->v[i].seen || c->nv < 500000;
  cl_buf_varint(&p, n);
  for (size_t i = 0; i < c->nv; i++) {
    const ventry *e = &c->v[i];
    if (!(e->seen || c->nv < 500000)) continue; /* a runaway index keeps what this run saw */
    cl_buf_str(&p, e->path);
    cl_buf_varint(&p, e->k.size);
    cl_buf_varint(&p, e->k.mtime_ns);
    cl_buf_varint(&p, e->k.ino);
    cl_buf_varint(&p, e->k.dev);
    cl_buf_u64le(&p, e->h.lo);
    cl_buf_u64le(&p, e->h.hi);
    cl_buf_varint(&p, (uint64_t)e->scan.flags | (uint64_t)e->racy << 32);
    cl_buf_str(&p, e->scan.imports);
    cl_buf_str(&p, e->scan.ops);
    cl_buf_str(&p, e->scan.regs);
  }
  cl_buf out = {0};
  cl_buf_u32le(&out, 0x49564c43u);
  cl_buf_u32le(&out, CL_SER_FORMAT);
  cl_buf_u64le(&out, build_key());
  cl_buf_u64le(&out, p.n);
  cl_buf_u64le(&out, cl_hash128(p.p, p.n, 1).lo);
  cl_buf_put(&out, p.p, p.n);
  if (!write_atomic(c->index_path, out.p, out.n)) c->st.write_errors++;
  cl_buf_free(&p);
  cl_buf_free(&out);
}

void cl_cache_close(cl_cache *c) {
  if (!c) return;
  writer_join(c);
  if (!cl_packs_close(c->packs)) c->st.write_errors++;
  if (c->dirty && ensure_dirs(c)) index_store(c);
  if (c->created) {
    char *used = cl_xasprintf("%s/used", c->vdir);
    write_atomic(used, "", 0);
    free(used);
    remove_old_builds(c);
  }
  for (size_t i = 0; i < c->nv; i++) {
    free(c->v[i].path);
    cl_scan_free(&c->v[i].scan);
  }
  free(c->v);
  free(c->slots);
  pthread_mutex_destroy(&c->lock);
  pthread_mutex_destroy(&c->qlock);
  pthread_cond_destroy(&c->qcond);
  free(c->dir);
  free(c->vdir);
  free(c->index_path);
  free(c);
}

const char *cl_cache_dir(const cl_cache *c) { return c->dir; }

static void count(size_t *n) { __atomic_fetch_add(n, 1, __ATOMIC_RELAXED); }

void cl_cache_get_stats(const cl_cache *c, cl_cache_stats *out) { *out = c->st; }

static char *dup_or_null(const char *s) { return s ? cl_xstrdup(s) : NULL; }

bool cl_cache_verdict_get(cl_cache *c, const char *abspath, const cl_statkey *k,
                          const cl_hash *want_hash, cl_hash *hash, cl_scan *scan) {
  ventry *e = index_find(c, abspath);
  bool same_stat = e && !e->racy && e->k.size == k->size && e->k.mtime_ns == k->mtime_ns &&
                   e->k.ino == k->ino && e->k.dev == k->dev;
  bool same_hash = e && want_hash && cl_hash_eq(e->h, *want_hash);
  if (!e || (!same_stat && !same_hash)) {
    if (want_hash) count(&c->st.verdict_misses); /* a lookup by stat alone is retried by content */
    return false;
  }
  count(same_stat ? &c->st.verdict_hits : &c->st.verdict_rehash_hits);
  *hash = e->h;
  scan->flags = e->scan.flags;
  scan->imports = dup_or_null(e->scan.imports);
  scan->ops = dup_or_null(e->scan.ops);
  scan->regs = dup_or_null(e->scan.regs);
  return true;
}

void cl_cache_verdict_put(cl_cache *c, const char *abspath, const cl_statkey *k, cl_hash hash,
                          const cl_scan *scan) {
  ventry *e = index_find(c, abspath);
  bool racy = (int64_t)k->mtime_ns / 1000000000 >= (int64_t)time(NULL) - RACY_SECONDS;
  if (e && e->seen) return;
  if (e && !e->racy && !racy && e->k.size == k->size && e->k.mtime_ns == k->mtime_ns &&
      e->k.ino == k->ino && e->k.dev == k->dev && cl_hash_eq(e->h, hash) &&
      e->scan.flags == scan->flags) {
    e->seen = true;
    return;
  }
  if (!e) e = index_add(c, abspath);
  cl_scan_free(&e->scan);
  e->k = *k;
  e->h = hash;
  e->racy = racy;
  e->seen = true;
  e->scan.flags = scan->flags;
  e->scan.imports = dup_or_null(scan->imports);
  e->scan.ops = dup_or_null(scan->ops);
  e->scan.regs = dup_or_null(scan->regs);
  c->dirty = true;
}

/* ---- summaries ------------------------------------------------------------------ */

/* A summary's key in the packs (cache_pack.c). */
static cl_hash summary_key(cl_hash h) {
  uint64_t parts[4] = {h.lo, h.hi, build_key(), config_key()};
  return cl_hash128(parts, sizeof parts, 3);
}

#define SUMMARY_MAGIC 0x4d534c43u /* CLSM */

bool cl_cache_summary_load(cl_cache *c, condlint_session *s, cl_file *f, cl_hash h,
                           uint32_t *flags) {
  size_t len;
  uint8_t *buf = cl_packs_get(c->packs, summary_key(h), MAX_BLOB, &len);
  if (!buf) {
    count(&c->st.summary_misses);
    return false;
  }
  cl_rd r = {buf, buf + len, false};
  bool ok = cl_rd_u32le(&r) == SUMMARY_MAGIC && cl_rd_u32le(&r) == CL_SER_FORMAT &&
            cl_rd_u64le(&r) == build_key() && cl_rd_u64le(&r) == config_key();
  cl_hash got;
  got.lo = cl_rd_u64le(&r);
  got.hi = cl_rd_u64le(&r);
  size_t vl;
  const uint8_t *ver = cl_rd_bytes(&r, &vl);
  uint64_t plen = cl_rd_u64le(&r), sum = cl_rd_u64le(&r);
  ok = ok && !r.bad && cl_hash_eq(got, h) && ver && vl == strlen(CONDLINT_VERSION) &&
       !memcmp(ver, CONDLINT_VERSION, vl) && plen == (uint64_t)(r.end - r.p) &&
       cl_hash128(r.p, (size_t)plen, 2).lo == sum;
  /* the parse-stage findings: read and checked before anything is emitted */
  typedef struct {
    const char *code, *message, *fix;
    uint32_t start, end;
  } pdiag;
  pdiag *pd = NULL;
  uint64_t nd = 0;
  cl_arena *tmp = cl_arena_new();
  if (ok) {
    *flags = (uint32_t)cl_rd_varint(&r);
    nd = cl_rd_varint(&r);
    if (nd > (uint64_t)(r.end - r.p)) ok = false;
    else pd = cl_xcalloc(nd ? nd : 1, sizeof *pd);
    for (uint64_t i = 0; ok && i < nd; i++) {
      const char *code = cl_rd_str(&r, tmp, NULL), *name;
      condlint_severity sev;
      const condlint_rule *rule = code ? cl_rule_lookup(code, &name, &sev) : NULL;
      pd[i].code = rule ? condlint_rule_code(rule) : NULL; /* a static string */
      pd[i].start = (uint32_t)cl_rd_varint(&r);
      pd[i].end = (uint32_t)cl_rd_varint(&r);
      pd[i].message = cl_rd_str(&r, tmp, NULL);
      pd[i].fix = cl_rd_str(&r, tmp, NULL);
      if (r.bad || !pd[i].code || !pd[i].message || pd[i].start > f->len || pd[i].end > f->len)
        ok = false;
    }
  }
  cl_module *m = ok ? cl_deser_module(f, &r) : NULL;
  if (m && r.p != r.end) m = NULL;
  if (m) {
    f->mod = m;
    for (uint64_t i = 0; i < nd; i++) {
      cl_span sp = {pd[i].start, pd[i].end};
      cl_emit(s, pd[i].code, f, sp, pd[i].message, pd[i].fix);
    }
    count(&c->st.summary_hits);
  } else {
    count(&c->st.summary_bad);
  }
  free(pd);
  cl_arena_free(tmp);
  free(buf);
  return m != NULL;
}

/* The rest of a summary whose findings j->b holds: f's IR, then the frame
 * (header and checksum) around both. */
static void summary_finish(job *j) {
  cl_ser_module(j->f, &j->b);
  const cl_buf *p = &j->b;
  cl_buf out = {0};
  cl_buf_u32le(&out, SUMMARY_MAGIC);
  cl_buf_u32le(&out, CL_SER_FORMAT);
  cl_buf_u64le(&out, build_key());
  cl_buf_u64le(&out, config_key());
  cl_buf_u64le(&out, j->h.lo);
  cl_buf_u64le(&out, j->h.hi);
  cl_buf_str(&out, CONDLINT_VERSION);
  cl_buf_u64le(&out, p->n);
  cl_buf_u64le(&out, cl_hash128(p->p, p->n, 2).lo);
  cl_buf_put(&out, p->p, p->n);
  cl_buf_free(&j->b);
  j->b = out;
  j->f = NULL;
}

void cl_cache_summary_store(cl_cache *c, const cl_file *f, cl_hash h, uint32_t flags,
                            condlint_diag *const *diags, size_t ndiags) {
  if (!f->mod || !ensure_dirs(c)) return;
  job *j = cl_xcalloc(1, sizeof *j);
  j->key = summary_key(h);
  j->h = h;
  j->f = f;
  cl_buf_varint(&j->b, flags);
  cl_buf_varint(&j->b, ndiags);
  for (size_t i = 0; i < ndiags; i++) {
    cl_buf_str(&j->b, diags[i]->code);
    cl_buf_varint(&j->b, diags[i]->loc.start);
    cl_buf_varint(&j->b, diags[i]->loc.end);
    cl_buf_str(&j->b, diags[i]->message);
    cl_buf_str(&j->b, diags[i]->fix);
  }
  /* the IR is encoded by the writer, on the core the one-threaded analysis
   * leaves, except a skeleton's, which grows when the analysis parses one
   * of its bodies */
  if (f->lazy_bodies) summary_finish(j);
  count(&c->st.summary_writes); /* queued: a failure counts as a write error */
  write_later(c, j);
}

/* ---- whole runs (results.c) ------------------------------------------------------ */

#define RESULTS_MAGIC 0x53524c43u /* CLRS */

static char *results_path(const char *vdir, cl_hash key) {
  return cl_xasprintf("%s/r/%016llx%016llx", vdir, (unsigned long long)key.hi,
                      (unsigned long long)key.lo);
}

uint8_t *cl_cache_results_read(const char *dir, cl_hash key, size_t *off, size_t *len) {
  char *d = dir ? cl_xstrdup(dir) : cl_cache_default_dir();
  char *vdir = cl_xasprintf("%s/v%d/%016llx", d, CACHE_LAYOUT, (unsigned long long)build_key());
  char *path = results_path(vdir, key);
  size_t n;
  uint8_t *buf = read_all(path, MAX_BLOB, &n);
  if (buf) { /* this build is in use, as cl_cache_open marks it */
    char *used = cl_xasprintf("%s/used", vdir);
    utimensat(AT_FDCWD, used, NULL, 0);
    free(used);
  }
  free(path);
  free(vdir);
  free(d);
  if (!buf) return NULL;
  cl_rd r = {buf, buf + n, false};
  bool ok = cl_rd_u32le(&r) == RESULTS_MAGIC && cl_rd_u32le(&r) == CL_SER_FORMAT &&
            cl_rd_u64le(&r) == build_key() && cl_rd_u64le(&r) == key.lo && cl_rd_u64le(&r) == key.hi;
  size_t vl;
  const uint8_t *ver = cl_rd_bytes(&r, &vl);
  uint64_t plen = cl_rd_u64le(&r), sum = cl_rd_u64le(&r);
  ok = ok && !r.bad && ver && vl == strlen(CONDLINT_VERSION) && !memcmp(ver, CONDLINT_VERSION, vl) &&
       plen == (uint64_t)(r.end - r.p) && cl_hash128(r.p, (size_t)plen, 4).lo == sum;
  if (!ok) {
    free(buf);
    return NULL;
  }
  *off = (size_t)(r.p - buf);
  *len = (size_t)plen;
  return buf;
}

void cl_cache_results_write(cl_cache *c, cl_hash key, const void *p, size_t n) {
  if (!ensure_dirs(c)) return;
  cl_buf out = {0};
  cl_buf_u32le(&out, RESULTS_MAGIC);
  cl_buf_u32le(&out, CL_SER_FORMAT);
  cl_buf_u64le(&out, build_key());
  cl_buf_u64le(&out, key.lo);
  cl_buf_u64le(&out, key.hi);
  cl_buf_str(&out, CONDLINT_VERSION);
  cl_buf_u64le(&out, n);
  cl_buf_u64le(&out, cl_hash128(p, n, 4).lo);
  cl_buf_put(&out, p, n);
  char *dir = cl_xasprintf("%s/r", c->vdir), *path = results_path(c->vdir, key);
  if (!((mkdir(dir, 0777) == 0 || errno == EEXIST) && write_atomic(path, out.p, out.n)))
    count(&c->st.write_errors);
  free(dir);
  free(path);
  cl_buf_free(&out);
}

/* ---- clean --------------------------------------------------------------------- */

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw) {
  (void)st;
  (void)ftw;
  int rc = type == FTW_DP ? rmdir(path) : unlink(path);
  return rc == 0 || errno == ENOENT ? 0 : -1;
}

int cl_cache_clean(const char *dir, char **err) {
  char *d = dir ? cl_xstrdup(dir) : cl_cache_default_dir();
  struct stat st;
  int rc = 0;
  if (lstat(d, &st) != 0) {
    if (errno != ENOENT) {
      *err = cl_xasprintf("%s: %s", d, strerror(errno));
      rc = CONDLINT_EIO;
    }
  } else if (!S_ISDIR(st.st_mode) || !exists(d, TAG_NAME)) {
    *err = cl_xasprintf("%s: not a condlint cache directory (no %s); not removed", d, TAG_NAME);
    rc = CONDLINT_EUSAGE;
  } else if (nftw(d, remove_entry, 16, FTW_DEPTH | FTW_PHYS) != 0) {
    *err = cl_xasprintf("%s: cannot remove: %s", d, strerror(errno));
    rc = CONDLINT_EIO;
  }
  free(d);
  return rc;
}
