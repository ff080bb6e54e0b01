/* facts.c — classifying a cond site from its per-context outcomes, and the
 * reason chains the CL1xx findings carry. */
#include <stdlib.h>
#include <string.h>

#include "facts.h"

/* A site's outcomes decide exactly one CL1xx class:
 * - static metadata: its predicate never reads a size (folds everywhere);
 * - folds all: every context with a definite outcome folds it;
 * - specialized: as above, and the concrete value came from int()/len();
 * - folds some: some contexts fold it, some keep it (or one context both).
 * Contexts whose outcome is unknown say nothing either way. */
cl_site_class cl_site_classify(const cl_facts *facts, const cl_site *site) {
  if (site->meta_evals && !site->other_evals) return SITE_STATIC_META;
  size_t folds = 0, kept = 0, mixed = 0, spec = 0;
  for (size_t i = 0; i < site->nouts; i++) {
    const cl_outcome *o = &site->outs[i];
    const cl_context *c = facts->contexts.v[o->context];
    if (c->failed) continue; /* a trace that raises keeps nothing */
    if (o->mixed) mixed++;
    else if (o->pred == PRED_CONST) {
      folds++;
      for (const cl_origin *w = o->why; w; w = w->prev)
        if (w->specialized) {
          spec++;
          break;
        }
    } else if (o->pred == PRED_SYM || o->pred == PRED_TENSOR) kept++;
  }
  if (mixed || (folds && kept)) return SITE_FOLDS_SOME;
  if (folds) return spec == folds ? SITE_SPECIALIZED : SITE_FOLDS_ALL;
  return SITE_NO_FINDING;
}

bool cl_site_stores(const cl_site *s, int ctx, cl_pred pred) {
  for (size_t i = 0; i < s->nouts; i++)
    if (s->outs[i].context == ctx) return pred != PRED_UNKNOWN && s->outs[i].pred == PRED_UNKNOWN;
  return true;
}

void cl_site_record(cl_site *s, int ctx, cl_pred pred, const cl_origin *why, bool reads_size) {
  for (size_t i = 0; i < s->nouts; i++) {
    cl_outcome *o = &s->outs[i];
    if (o->context != ctx) continue;
    if (pred == PRED_UNKNOWN) return;
    if (o->pred == PRED_UNKNOWN) {
      o->pred = pred;
      o->why = why;
      o->reads_size = reads_size;
    } else if ((o->pred == PRED_CONST) != (pred == PRED_CONST)) {
      o->mixed = true;
    }
    return;
  }
  if (s->nouts == s->capouts) {
    s->capouts = s->capouts ? s->capouts * 2 : 4;
    s->outs = cl_xrealloc(s->outs, s->capouts * sizeof(cl_outcome));
  }
  cl_outcome *o = &s->outs[s->nouts++];
  memset(o, 0, sizeof *o);
  o->context = ctx;
  o->pred = pred;
  o->why = why;
  o->reads_size = reads_size;
}

void cl_facts_emit_chain(condlint_session *s, condlint_diag *d, const cl_origin *why) {
  /* oldest step first: entry point, then where the size was read */
  const cl_origin *steps[32];
  int n = 0;
  for (const cl_origin *w = why; w && n < 32; w = w->prev) steps[n++] = w;
  for (int i = n - 1; i >= 0; i--)
    if (steps[i]->why) cl_diag_add_related(s, d, steps[i]->file, steps[i]->span, steps[i]->why);
}

const char *cl_origin_fix(const cl_origin *why) {
  for (const cl_origin *w = why; w; w = w->prev)
    if (w->fix) return w->fix;
  return NULL;
}

void cl_facts_free(cl_facts *facts) {
  if (!facts) return;
  for (size_t i = 0; i < facts->sites.n; i++) free(((cl_site *)facts->sites.v[i])->outs);
  for (size_t i = 0; i < facts->dispatch.n; i++) free(((cl_site *)facts->dispatch.v[i])->outs);
  cl_vec_free(&facts->sites);
  cl_vec_free(&facts->dispatch);
  cl_vec_free(&facts->contexts);
  cl_vec_free(&facts->events);
  cl_arena_free(facts->arena);
  free(facts);
}
