/* The test runner: every `Suite *NAME_suite(void)` under tests/ is found by
 * scripts/list-suites.sh and run here. TC_SUITE=name runs one suite. */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../testutil.h"

#define SUITE(name) Suite *name##_suite(void);
#include "suites.h"
#undef SUITE

const char *tc_test_binary(void)
{
    const char *b = getenv("TC_BINARY");
    return b ? b : TC_SOURCE_DIR "/build/twincheck";
}

const char *tc_test_shared(void)
{
    static char path[4096];
    struct stat st;
    snprintf(path, sizeof path, "%s/../shared", TC_SOURCE_DIR);
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode) ? path : NULL;
}

int tc_test_run(char **out, const char *arg, ...)
{
    char *argv[64];
    int argc = 0;
    va_list ap;
    argv[argc++] = (char *)tc_test_binary();
    va_start(ap, arg);
    for (const char *a = arg; a && argc < 63; a = va_arg(ap, const char *))
        argv[argc++] = (char *)a;
    va_end(ap);
    argv[argc] = NULL;

    int fds[2];
    if (pipe(fds) != 0)
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fds[1], 1);
        close(fds[0]);
        close(fds[1]);
        execv(argv[0], argv);
        _exit(127);
    }
    close(fds[1]);
    tc_buf b = TC_BUF_INIT;
    char chunk[4096];
    ssize_t n;
    while ((n = read(fds[0], chunk, sizeof chunk)) > 0)
        tc_buf_add(&b, chunk, (size_t)n);
    close(fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    if (out)
        *out = tc_buf_detach(&b);
    tc_buf_release(&b);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

const tc_finding *tc_test_find(const tc_findings *fs, const char *rule, const char *file)
{
    for (size_t i = 0; i < fs->len; i++) {
        const tc_finding *f = &fs->items[i];
        if (tc_finding_is(f, rule) && (!file || (f->file && strcmp(f->file, file) == 0)))
            return f;
    }
    return NULL;
}

int main(void)
{
    const char *only = getenv("TC_SUITE");
    SRunner *sr = srunner_create(NULL);
#define SUITE(name)                                                                                \
    if (!only || strcmp(only, #name) == 0)                                                         \
        srunner_add_suite(sr, name##_suite());
#include "suites.h"
#undef SUITE
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
