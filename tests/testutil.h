/* Helpers shared by the tests. */
#ifndef TC_TESTUTIL_H
#define TC_TESTUTIL_H

#include <check.h>

#include "core/core.h"

/* The source tree (fixtures/, rules/) and the built command. */
#define TC_SOURCE(rel) TC_SOURCE_DIR "/" rel
const char *tc_test_binary(void);
/* "../shared" beside the source tree, or NULL when it is absent (tests skip). */
const char *tc_test_shared(void);
/* Run the command with arguments (NULL-terminated), capture stdout; returns the exit status. */
int tc_test_run(char **out, const char *arg, ...);
/* The finding that answers to this rule (its own id or its also-id; and in this file,
 * when not NULL), or NULL. */
const tc_finding *tc_test_find(const tc_findings *fs, const char *rule, const char *file);

#endif
