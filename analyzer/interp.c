/* placeholder until the interpreter lands */
#include "facts.h"
void cl_analyze_program(condlint_session *s) {
  s->facts = cl_xcalloc(1, sizeof(cl_facts));
  s->facts->arena = cl_arena_new();
}
