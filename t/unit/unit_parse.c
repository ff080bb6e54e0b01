/* unit_parse.c — the tree-sitter front end (analyzer/parse.c) lowers a small
 * file into the IR of internal.h: imports with aliases, a function with every
 * kind of parameter, a torch.cond call with its predicate, a class with a
 * method; a syntax error in the middle is reported (CL901) and the code after
 * it is still lowered. */
#include <string.h>

#include "../tap.h"
#include "internal.h"

static const char SRC[] =
    "import torch\n"                                         /* 1 */
    "from torch import cond as c, nn\n"                      /* 2 */
    "from . import helpers\n"                                /* 3 */
    "\n"                                                     /* 4 */
    "def f(x, *args, scale=2, **kw):\n"                      /* 5 */
    "    return torch.cond(x.dim() == 3, a, b, (x,))  # expect: CL102\n" /* 6 */
    "\n"                                                     /* 7 */
    "y = = 2\n"                                              /* 8: syntax error */
    "\n"                                                     /* 9 */
    "class M(nn.Module):\n"                                  /* 10 */
    "    def forward(self, x):\n"                            /* 11 */
    "        small = x.shape[1] <= 512\n"                    /* 12 */
    "        return c(small, a, b, (x,))\n";                 /* 13 */

static cl_stmt *find_stmt(cl_block b, cl_skind k, int nth) {
  for (uint32_t i = 0; i < b.n; i++)
    if (b.v[i]->kind == k && nth-- == 0) return b.v[i];
  return NULL;
}

static cl_stmt *find_def(cl_block b, const char *name) {
  for (uint32_t i = 0; i < b.n; i++) {
    cl_stmt *s = b.v[i];
    if (s->kind == S_FUNCDEF && s->func && !strcmp(s->func->name, name)) return s;
    if (s->kind == S_CLASSDEF && s->cls && !strcmp(s->cls->name, name)) return s;
  }
  return NULL;
}

static void test_imports(cl_module *m) {
  cl_stmt *imp = find_stmt(m->body, S_IMPORT, 0);
  ok(imp && imp->nnames == 1 && !strcmp(imp->names[0].name, "torch") && !imp->names[0].alias,
     "'import torch' lowers to IMPORT torch without alias");
  cl_stmt *from = find_stmt(m->body, S_IMPORTFROM, 0);
  ok(from && !strcmp(from->module, "torch") && from->level == 0,
     "'from torch import ...' lowers to IMPORTFROM of module torch, level 0");
  if (from && from->nnames == 2) {
    is_str(from->names[0].name, "cond", "first imported name is cond");
    is_str(from->names[0].alias, "c", "... aliased as c");
    is_str(from->names[1].name, "nn", "second imported name is nn");
    ok(from->names[1].alias == NULL, "... without alias");
  } else {
    ok(0, "'from torch import cond as c, nn' has two names");
  }
  cl_stmt *rel = find_stmt(m->body, S_IMPORTFROM, 1);
  ok(rel && rel->level == 1 && !strcmp(rel->module, "") && rel->nnames == 1 &&
         !strcmp(rel->names[0].name, "helpers"),
     "'from . import helpers' is a level-1 relative import of helpers");
}

static void test_function(cl_module *m) {
  cl_stmt *def = find_def(m->body, "f");
  ok(def != NULL, "def f is lowered to FUNCDEF");
  if (!def) return;
  cl_func *fn = def->func;
  is_int(fn->nparams, 4, "f has four parameters");
  if (fn->nparams == 4) {
    ok(!strcmp(fn->params[0].name, "x") && fn->params[0].kind == P_NORMAL, "x is a plain parameter");
    ok(!strcmp(fn->params[1].name, "args") && fn->params[1].kind == P_VARARGS, "*args is VARARGS");
    ok(!strcmp(fn->params[2].name, "scale") && fn->params[2].kind == P_KWONLY,
       "scale after *args is keyword-only");
    ok(fn->params[2].dflt && fn->params[2].dflt->kind == E_INT && fn->params[2].dflt->i == 2,
       "scale's default is the int 2");
    ok(!strcmp(fn->params[3].name, "kw") && fn->params[3].kind == P_KWARGS, "**kw is KWARGS");
  }
  cl_stmt *ret = fn->body.n ? fn->body.v[0] : NULL;
  ok(ret && ret->kind == S_RETURN && ret->value && ret->value->kind == E_CALL,
     "f's body is a return of a call");
  if (!ret || !ret->value || ret->value->kind != E_CALL) return;
  cl_expr *call = ret->value;
  is_int(call->nkids, 5, "the call has the callee and four arguments");
  cl_expr *callee = call->kids[0];
  ok(callee->kind == E_ATTR && !strcmp(callee->s, "cond") && callee->kids[0]->kind == E_NAME &&
         !strcmp(callee->kids[0]->s, "torch"),
     "the callee is the attribute torch.cond");
  unsigned line, col;
  cl_file_position(fn->file, callee->span.start, &line, &col);
  is_int(line, 6, "the callee starts on line 6");
  is_int(col, 12, "the callee starts at column 12");
  is_int(callee->span.end - callee->span.start, strlen("torch.cond"), "the callee spans 'torch.cond'");
  if (call->nkids < 5) return;
  cl_expr *pred = call->kids[1];
  ok(pred->kind == E_COMPARE && !strcmp(pred->s, "==") && pred->nkids == 2,
     "the predicate is the comparison '=='");
  if (pred->kind == E_COMPARE && pred->nkids == 2) {
    cl_expr *dim = pred->kids[0];
    ok(dim->kind == E_CALL && dim->nkids == 1 && dim->kids[0]->kind == E_ATTR &&
           !strcmp(dim->kids[0]->s, "dim"),
       "its left side is the call x.dim()");
    ok(pred->kids[1]->kind == E_INT && pred->kids[1]->i == 3, "its right side is the int 3");
  }
  ok(call->kids[4]->kind == E_TUPLE && call->kids[4]->nkids == 1, "the operands are a 1-tuple");
}

static void test_class(cl_module *m) {
  cl_stmt *cd = find_def(m->body, "M");
  ok(cd && cd->kind == S_CLASSDEF, "class M after the syntax error is still lowered");
  if (!cd) return;
  cl_class *cls = cd->cls;
  ok(cls->nbases == 1 && cls->bases[0]->kind == E_ATTR && !strcmp(cls->bases[0]->s, "Module"),
     "M's base is nn.Module");
  cl_stmt *fw = find_def(cls->body, "forward");
  ok(fw != NULL, "M.forward is lowered");
  if (!fw) return;
  ok(fw->func->cls == cls, "forward knows its class");
  is_str(fw->func->qualname, "M.forward", "forward's qualname is M.forward");
  cl_stmt *as = fw->func->body.n ? fw->func->body.v[0] : NULL;
  ok(as && as->kind == S_ASSIGN && as->ntargets == 1 && as->targets[0]->kind == E_NAME &&
         !strcmp(as->targets[0]->s, "small"),
     "'small = ...' lowers to ASSIGN to the name small");
  if (as && as->kind == S_ASSIGN && as->value && as->value->kind == E_COMPARE) {
    cl_expr *sub = as->value->kids[0];
    ok(!strcmp(as->value->s, "<=") && sub->kind == E_SUBSCRIPT && sub->kids[0]->kind == E_ATTR &&
           !strcmp(sub->kids[0]->s, "shape") && sub->kids[1]->kind == E_INT && sub->kids[1]->i == 1,
       "its value is x.shape[1] <= 512: a compare over a subscript of .shape by 1");
  } else {
    ok(0, "its value is a comparison");
  }
  cl_stmt *ret = find_stmt(fw->func->body, S_RETURN, 0);
  ok(ret && ret->value->kind == E_CALL && ret->value->kids[0]->kind == E_NAME &&
         !strcmp(ret->value->kids[0]->s, "c"),
     "the aliased call c(...) has the name c as callee");
}

int main(void) {
  condlint_session *s = condlint_session_new();
  is_int(condlint_session_add_source(s, "pkg/model.py", SRC, strlen(SRC)), 0,
         "add_source accepts the file");
  is_int(condlint_session_analyze(s), 0, "analyze succeeds");
  cl_file *f = cl_session_file(s, 0);
  ok(f && f->mod, "the file passed the prefilter and was parsed");
  if (!f || !f->mod) {
    condlint_session_free(s);
    return done_testing();
  }
  is_str(f->mod->dotted, "model", "the module name is guessed from the path");

  int syntax = 0, syntax_line = 0;
  for (size_t i = 0; i < condlint_session_diag_count(s); i++) {
    const condlint_diag *d = condlint_session_diag(s, i);
    if (!strcmp(condlint_diag_code(d), "CL901")) {
      syntax++;
      syntax_line = (int)condlint_diag_location(d).line;
    }
  }
  is_int(syntax, 1, "one CL901 for the one broken statement");
  is_int(syntax_line, 8, "CL901 is on line 8, where 'y = = 2' is");

  int expect = 0;
  for (uint32_t i = 0; i < f->mod->ncomments; i++)
    if (strstr(f->mod->comments[i].text, "expect: CL102") && cl_file_row(f, f->mod->comments[i].span.start) == 5)
      expect = 1;
  ok(expect, "the trailing comment on line 6 is collected without its '#'");

  test_imports(f->mod);
  test_function(f->mod);
  test_class(f->mod);
  condlint_session_free(s);
  return done_testing();
}
