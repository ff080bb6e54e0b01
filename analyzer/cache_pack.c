/* cache_pack.c — the summaries' pack files (see cache_pack.h).
 *
 * Layout of a pack, all integers little-endian:
 *   blob 0, blob 1, ...                    each a summary with its own frame
 *   index: per blob, key.lo key.hi offset length (u64 each)
 *   trailer: entries (u64), the index's checksum (u64), format (u32), magic (u32)
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cache_pack.h"
#include "serialize.h"

#define PACK_MAGIC 0x4b504c43u /* CLPK */
#define PACK_FORMAT 1u
#define ENTRY_BYTES 32u
#define TRAILER_BYTES 24u
#define MAX_PACKS 8 /* more after a run: merged into one */

/* ---- reading: the index of a set of packs ------------------------------------ */

typedef struct {
  cl_hash key;
  uint32_t pack;
  uint64_t off, len;
} pentry;

typedef struct {
  char **paths;
  int *fds;
  size_t npacks;
  pentry *e;
  size_t ne, cape;
  uint32_t *slots; /* entry index + 1; 0: empty */
  size_t nslots;
} pset;

static size_t slot_of(const pset *s, cl_hash key) {
  size_t m = s->nslots - 1, j = (size_t)(key.lo ^ (key.hi >> 7)) & m;
  while (s->slots[j] && !cl_hash_eq(s->e[s->slots[j] - 1].key, key)) j = (j + 1) & m;
  return j;
}

static void pset_rehash(pset *s) {
  free(s->slots);
  s->nslots = s->nslots ? s->nslots * 2 : 64;
  s->slots = cl_xcalloc(s->nslots, sizeof *s->slots);
  for (size_t i = 0; i < s->ne; i++) s->slots[slot_of(s, s->e[i].key)] = (uint32_t)i + 1;
}

/* A later pack's entry replaces an earlier one's. */
static void pset_put(pset *s, pentry pe) {
  if ((s->ne + 1) * 2 > s->nslots) pset_rehash(s);
  size_t j = slot_of(s, pe.key);
  if (s->slots[j]) {
    s->e[s->slots[j] - 1] = pe;
    return;
  }
  if (s->ne == s->cape) s->e = cl_xrealloc(s->e, (s->cape = s->cape ? s->cape * 2 : 64) * sizeof *s->e);
  s->e[s->ne++] = pe;
  s->slots[j] = (uint32_t)s->ne;
}

static const pentry *pset_find(const pset *s, cl_hash key) {
  if (!s->nslots) return NULL;
  size_t j = slot_of(s, key);
  return s->slots[j] ? &s->e[s->slots[j] - 1] : NULL;
}

static void pset_free(pset *s) {
  for (size_t i = 0; i < s->npacks; i++) {
    if (s->fds[i] >= 0) close(s->fds[i]);
    free(s->paths[i]);
  }
  free(s->paths);
  free(s->fds);
  free(s->e);
  free(s->slots);
  memset(s, 0, sizeof *s);
}

static bool read_at(int fd, void *buf, size_t n, uint64_t off) {
  uint8_t *p = buf;
  while (n) {
    ssize_t r = pread(fd, p, n, (off_t)off);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    p += r, n -= (size_t)r, off += (uint64_t)r;
  }
  return true;
}

static bool write_all(int fd, const void *data, size_t n) {
  const uint8_t *p = data;
  while (n) {
    ssize_t w = write(fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    p += w, n -= (size_t)w;
  }
  return true;
}

/* Add the pack at path to s; false (s unchanged) when it does not check out. */
static bool pset_load(pset *s, const char *path) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  struct stat st;
  uint8_t tr[TRAILER_BYTES], *idx = NULL;
  bool ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (uint64_t)st.st_size >= TRAILER_BYTES &&
            read_at(fd, tr, sizeof tr, (uint64_t)st.st_size - TRAILER_BYTES);
  uint64_t size = ok ? (uint64_t)st.st_size : 0, n = 0, sum = 0;
  if (ok) {
    cl_rd r = {tr, tr + sizeof tr, false};
    n = cl_rd_u64le(&r);
    sum = cl_rd_u64le(&r);
    ok = cl_rd_u32le(&r) == PACK_FORMAT && cl_rd_u32le(&r) == PACK_MAGIC && !r.bad &&
         n <= (size - TRAILER_BYTES) / ENTRY_BYTES;
  }
  uint64_t data_end = ok ? size - TRAILER_BYTES - n * ENTRY_BYTES : 0;
  if (ok) {
    idx = cl_xmalloc(n * ENTRY_BYTES + 1);
    ok = read_at(fd, idx, n * ENTRY_BYTES, data_end) && cl_hash128(idx, n * ENTRY_BYTES, 5).lo == sum;
  }
  cl_rd r = {idx, ok ? idx + n * ENTRY_BYTES : idx, false};
  pentry *pe = ok ? cl_xmalloc((n ? n : 1) * sizeof *pe) : NULL;
  for (uint64_t i = 0; ok && i < n; i++) {
    pe[i].key.lo = cl_rd_u64le(&r);
    pe[i].key.hi = cl_rd_u64le(&r);
    pe[i].off = cl_rd_u64le(&r);
    pe[i].len = cl_rd_u64le(&r);
    pe[i].pack = (uint32_t)s->npacks;
    ok = !r.bad && pe[i].off <= data_end && pe[i].len <= data_end - pe[i].off;
  }
  free(idx);
  if (!ok) {
    free(pe);
    close(fd);
    return false;
  }
  for (uint64_t i = 0; i < n; i++) pset_put(s, pe[i]);
  free(pe);
  s->paths = cl_xrealloc(s->paths, (s->npacks + 1) * sizeof *s->paths);
  s->fds = cl_xrealloc(s->fds, (s->npacks + 1) * sizeof *s->fds);
  s->paths[s->npacks] = cl_xstrdup(path);
  s->fds[s->npacks++] = fd;
  return true;
}

/* The packs of pdir, oldest first (by modification time, then name). */
typedef struct {
  char *path;
  struct timespec t;
} pfile;

static int pfile_cmp(const void *a, const void *b) {
  const pfile *x = a, *y = b;
  if (x->t.tv_sec != y->t.tv_sec) return x->t.tv_sec < y->t.tv_sec ? -1 : 1;
  if (x->t.tv_nsec != y->t.tv_nsec) return x->t.tv_nsec < y->t.tv_nsec ? -1 : 1;
  return strcmp(x->path, y->path);
}

static pfile *list_packs(const char *pdir, size_t *n) {
  *n = 0;
  DIR *d = opendir(pdir);
  if (!d) return NULL;
  pfile *v = NULL;
  size_t cap = 0;
  struct dirent *e;
  while ((e = readdir(d))) {
    size_t l = strlen(e->d_name);
    if (e->d_name[0] == '.' || l < 6 || strcmp(e->d_name + l - 5, ".pack")) continue;
    char *path = cl_xasprintf("%s/%s", pdir, e->d_name);
    struct stat st;
    if (stat(path, &st) != 0) {
      free(path);
      continue;
    }
    if (*n == cap) v = cl_xrealloc(v, (cap = cap ? cap * 2 : 16) * sizeof *v);
    v[(*n)++] = (pfile){path, st.st_mtim};
  }
  closedir(d);
  if (*n > 1) qsort(v, *n, sizeof *v, pfile_cmp);
  return v;
}

static void free_list(pfile *v, size_t n) {
  for (size_t i = 0; i < n; i++) free(v[i].path);
  free(v);
}

/* ---- writing: one pack per run ------------------------------------------------ */

typedef struct {
  int fd;      /* -1: not started */
  char *tmp;
  uint64_t off;
  cl_buf idx;
  uint64_t n;
  bool failed;
} pwriter;

static bool pw_add(pwriter *w, const char *pdir, cl_hash key, const void *blob, size_t len) {
  if (w->failed) return false;
  if (w->fd < 0) {
    w->tmp = cl_xasprintf("%s/.tmpXXXXXX", pdir);
    w->fd = mkostemp(w->tmp, O_CLOEXEC);
    if (w->fd < 0) return !(w->failed = true);
  }
  if (!write_all(w->fd, blob, len)) return !(w->failed = true);
  cl_buf_u64le(&w->idx, key.lo);
  cl_buf_u64le(&w->idx, key.hi);
  cl_buf_u64le(&w->idx, w->off);
  cl_buf_u64le(&w->idx, len);
  w->off += len;
  w->n++;
  return true;
}

/* Write the index and trailer and rename the pack into place; *name gets its
 * path. false: nothing was added, or a write failed (the file is removed). */
static bool pw_finish(pwriter *w, const char *pdir, char **name) {
  *name = NULL;
  if (w->fd < 0) {
    cl_buf_free(&w->idx);
    return !w->failed;
  }
  bool ok = !w->failed;
  if (ok) {
    cl_hash ih = cl_hash128(w->idx.p, w->idx.n, 5);
    cl_buf_u64le(&w->idx, w->n);
    cl_buf_u64le(&w->idx, ih.lo);
    cl_buf_u32le(&w->idx, PACK_FORMAT);
    cl_buf_u32le(&w->idx, PACK_MAGIC);
    ok = write_all(w->fd, w->idx.p, w->idx.n);
    *name = cl_xasprintf("%s/%016llx%016llx.pack", pdir, (unsigned long long)ih.hi,
                         (unsigned long long)(ih.lo ^ w->off));
  }
  if (close(w->fd) != 0) ok = false;
  if (ok && rename(w->tmp, *name) != 0) ok = false;
  if (!ok) {
    unlink(w->tmp);
    free(*name);
    *name = NULL;
  }
  free(w->tmp);
  cl_buf_free(&w->idx);
  w->fd = -1;
  return ok;
}

/* More than MAX_PACKS packs: one pack of every key's newest blob, then the
 * merged ones (and those that do not check out) are removed. */
static bool merge_packs(const char *pdir) {
  size_t n;
  pfile *list = list_packs(pdir, &n);
  if (n <= MAX_PACKS) {
    free_list(list, n);
    return true;
  }
  pset s = {0};
  for (size_t i = 0; i < n; i++) pset_load(&s, list[i].path);
  pwriter w = {.fd = -1};
  bool ok = true;
  uint8_t *buf = NULL;
  size_t cap = 0;
  for (size_t i = 0; i < s.ne && ok; i++) {
    const pentry *e = &s.e[i];
    if (e->len > cap) buf = cl_xrealloc(buf, cap = (size_t)e->len);
    if (!read_at(s.fds[e->pack], buf, (size_t)e->len, e->off)) continue; /* a vanished blob: left out */
    ok = pw_add(&w, pdir, e->key, buf, (size_t)e->len);
  }
  free(buf);
  char *merged;
  ok = pw_finish(&w, pdir, &merged) && ok;
  if (ok)
    for (size_t i = 0; i < n; i++)
      if (!merged || strcmp(list[i].path, merged)) unlink(list[i].path);
  free(merged);
  pset_free(&s);
  free_list(list, n);
  return ok;
}

/* ---- the set ------------------------------------------------------------------- */

struct cl_packs {
  char *pdir;
  pthread_mutex_t lock;
  bool loaded;
  pset rd;
  pwriter w;
};

cl_packs *cl_packs_new(const char *pdir) {
  cl_packs *P = cl_xcalloc(1, sizeof *P);
  P->pdir = cl_xstrdup(pdir);
  pthread_mutex_init(&P->lock, NULL);
  P->w.fd = -1;
  return P;
}

uint8_t *cl_packs_get(cl_packs *P, cl_hash key, size_t max, size_t *len) {
  pthread_mutex_lock(&P->lock);
  if (!P->loaded) {
    size_t n;
    pfile *list = list_packs(P->pdir, &n);
    for (size_t i = 0; i < n; i++) pset_load(&P->rd, list[i].path);
    free_list(list, n);
    P->loaded = true;
  }
  pthread_mutex_unlock(&P->lock);
  const pentry *e = pset_find(&P->rd, key); /* read-only once loaded */
  if (!e || e->len > max) return NULL;
  uint8_t *buf = cl_xmalloc((size_t)e->len + 1);
  if (!read_at(P->rd.fds[e->pack], buf, (size_t)e->len, e->off)) {
    free(buf);
    return NULL;
  }
  *len = (size_t)e->len;
  return buf;
}

bool cl_packs_put(cl_packs *P, cl_hash key, const void *blob, size_t len) {
  return pw_add(&P->w, P->pdir, key, blob, len);
}

bool cl_packs_close(cl_packs *P) {
  if (!P) return true;
  bool wrote = P->w.fd >= 0;
  char *name;
  bool ok = pw_finish(&P->w, P->pdir, &name);
  free(name);
  if (wrote && ok) ok = merge_packs(P->pdir);
  pset_free(&P->rd);
  pthread_mutex_destroy(&P->lock);
  free(P->pdir);
  free(P);
  return ok;
}
