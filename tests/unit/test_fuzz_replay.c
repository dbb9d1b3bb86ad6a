/* The fuzz targets' committed corpora replayed as ordinary tests: each target's
 * entry (tests/fuzz/NAME.c, built here without libFuzzer as tc_fuzz_NAME) is
 * called on every file of tests/fuzz/corpus/NAME/, so inputs that once crashed,
 * hung or leaked stay fixed. Under SANITIZE=address,undefined this is what the
 * fuzzer checked. */
#include <dirent.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../testutil.h"

#define TC_FUZZ(name) int tc_fuzz_##name(const uint8_t *data, size_t size);
#include "../fuzz/targets.def"
#undef TC_FUZZ

typedef struct target {
    const char *name;
    int (*run)(const uint8_t *data, size_t size);
} target;

static const target targets[] = {
#define TC_FUZZ(name) {#name, tc_fuzz_##name},
#include "../fuzz/targets.def"
#undef TC_FUZZ
};

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Replays one corpus in name order; returns how many files it held. */
static size_t replay(const target *t)
{
    char *dir = tc_xasprintf("%s/tests/fuzz/corpus/%s", TC_SOURCE_DIR, t->name);
    DIR *d = opendir(dir);
    ck_assert_msg(d != NULL, "no corpus folder %s", dir);
    char **names = NULL;
    size_t n = 0, cap = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        if (e->d_name[0] == '.')
            continue;
        TC_GROW(names, cap, n + 1);
        names[n++] = tc_xstrdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, by_name);
    for (size_t i = 0; i < n; i++) {
        char *path = tc_xasprintf("%s/%s", dir, names[i]);
        unsigned char *data = NULL;
        size_t len = 0;
        ck_assert_msg(tc_read_file(path, (size_t)1 << 20, &data, &len) == 0, "cannot read %s",
                      path);
        ck_assert_int_eq(t->run(data, len), 0);
        free(data);
        free(path);
        free(names[i]);
    }
    free(names);
    free(dir);
    return n;
}

START_TEST(test_replay_corpus)
{
    const target *t = &targets[_i];
    size_t n = replay(t);
    ck_assert_msg(n > 0, "the corpus of fuzz target %s is empty", t->name);
}
END_TEST

Suite *fuzz_replay_suite(void)
{
    Suite *s = suite_create("fuzz_replay");
    TCase *tc = tcase_create("corpus");
    tcase_set_timeout(tc, 300);
    tcase_add_loop_test(tc, test_replay_corpus, 0, (int)(sizeof targets / sizeof targets[0]));
    suite_add_tcase(s, tc);
    return s;
}
