/* dispatch_common.h — shared by CL105 and CL106: emit a range-dispatch finding
 * on the op's call site with the registration and the contexts as notes. */
#ifndef CONDLINT_DISPATCH_COMMON_H
#define CONDLINT_DISPATCH_COMMON_H
#include <stdlib.h>

#include "rule.h"

void cl_rule_emit_dispatch(condlint_session *s, const cl_facts *facts, const cl_site *site,
                           const char *code, const char *message);
#endif
