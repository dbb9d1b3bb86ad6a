/* Package intake from archive bytes: the bytes are written to a private
 * temporary .omex file (intake reads archives through libzip by path), opened
 * with the default limits, and every XML and JSON file in it is checked for
 * well-formedness as the pipeline does next. */
#include <fcntl.h>

#include "fuzz.h"
#include "parse/parse.h"

static char archive_path[64];

static void remove_archive(void)
{
    if (archive_path[0])
        unlink(archive_path);
}

TC_FUZZ_TARGET(intake)
{
    if (!archive_path[0]) {
        const char *dir = getenv("TMPDIR");
        snprintf(archive_path, sizeof archive_path, "%s/tc-fuzz-XXXXXX.omex",
                 dir && dir[0] == '/' && strlen(dir) < 32 ? dir : "/tmp");
        int fd = mkstemps(archive_path, 5);
        if (fd < 0)
            abort();
        close(fd);
        atexit(remove_archive);
    }
    if (tc_write_file(archive_path, data, size) != 0)
        abort();
    tc_findings fs;
    tc_findings_init(&fs);
    tc_package *pkg = NULL;
    tc_limits limits = TC_LIMITS_DEFAULT;
    if (tc_package_open(&pkg, archive_path, &limits, &fs) == 0) {
        tc_parse_check_package(pkg, &fs);
        tc_package_free(pkg);
    }
    tc_findings_release(&fs);
    return 0;
}
