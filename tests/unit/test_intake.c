/* intake: path normalisation, kind sniffing, format identifiers, the manifest,
 * limits, links in folder packages, the private temporary folder, and the real
 * published archives under ../shared. */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include "../testutil.h"
#include "intake/intake.h"

/* ---- helpers ---------------------------------------------------------------- */

static char *make_tmp(void)
{
    char *dir = tc_xstrdup("/tmp/tc-intake-test-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    return dir;
}

static void put_file(const char *dir, const char *rel, const char *text)
{
    char *path = tc_xasprintf("%s/%s", dir, rel);
    for (char *slash = strchr(path + strlen(dir) + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
        *slash = '\0';
        mkdir(path, 0700);
        *slash = '/';
    }
    ck_assert_int_eq(tc_write_file(path, text, strlen(text)), 0);
    free(path);
}

static void remove_tree(const char *dir)
{
    char *cmd = tc_xasprintf("rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
    free(cmd);
}

static const tc_finding *only(const tc_findings *fs, const char *rule)
{
    const tc_finding *found = NULL;
    for (size_t i = 0; i < fs->len; i++) {
        if (strcmp(fs->items[i].rule, rule) == 0) {
            ck_assert_msg(found == NULL, "%s reported twice", rule);
            found = &fs->items[i];
        }
    }
    ck_assert_msg(found != NULL, "%s not reported", rule);
    return found;
}

static size_t count_at_least(const tc_findings *fs, tc_severity sev)
{
    size_t n = 0;
    for (size_t i = 0; i < fs->len; i++)
        n += fs->items[i].severity >= sev;
    return n;
}

#define SBML                                                                                       \
    "<?xml version=\"1.0\"?>\n<sbml xmlns=\"http://www.sbml.org/sbml/level3/version2/core\" "      \
    "level=\"3\" version=\"2\"><model id=\"m\"/></sbml>\n"
#define SEDML                                                                                      \
    "<?xml version=\"1.0\"?>\n<sedML xmlns=\"http://sed-ml.org/sed-ml/level1/version4\" "          \
    "level=\"1\" version=\"4\"/>\n"

/* ---- path normalisation ----------------------------------------------------- */

static const struct {
    const char *in;
    tc_path_status status;
    const char *out;
} paths[] = {
    {"model.xml", TC_PATH_OK, "model.xml"},
    {"./model.xml", TC_PATH_OK, "model.xml"},
    {"a/./b", TC_PATH_OK, "a/b"},
    {"a//b/", TC_PATH_OK, "a/b"},
    {"a/b/../c", TC_PATH_OK, "a/c"},
    {"a/..", TC_PATH_EMPTY, NULL},
    {".", TC_PATH_EMPTY, NULL},
    {"", TC_PATH_EMPTY, NULL},
    {"../x", TC_PATH_ESCAPES, NULL},
    {"a/../../x", TC_PATH_ESCAPES, NULL},
    {"./../x", TC_PATH_ESCAPES, NULL},
    {"/etc/passwd", TC_PATH_ABSOLUTE, NULL},
    {"C:/x", TC_PATH_ABSOLUTE, NULL},
    {"\\x", TC_PATH_ABSOLUTE, NULL},
    {"a\\..\\..\\x", TC_PATH_INVALID, NULL},
    {"a\tb", TC_PATH_INVALID, NULL},
    {"..data/x", TC_PATH_OK, "..data/x"},
};

START_TEST(test_path_normalize)
{
    char *out = (char *)"unset";
    tc_path_status st = tc_path_normalize(paths[_i].in, &out);
    ck_assert_msg(st == paths[_i].status, "'%s': status %d, expected %d", paths[_i].in, st,
                  paths[_i].status);
    if (paths[_i].out)
        ck_assert_str_eq(out, paths[_i].out);
    else
        ck_assert_ptr_null(out);
    free(out);
}
END_TEST

START_TEST(test_resolve)
{
    char *r = tc_package_resolve(NULL, "exp/sim.sedml", "../models/m.xml");
    ck_assert_str_eq(r, "models/m.xml");
    free(r);
    r = tc_package_resolve(NULL, "sim.sedml", "./m.xml");
    ck_assert_str_eq(r, "m.xml");
    free(r);
    ck_assert_ptr_null(tc_package_resolve(NULL, "sim.sedml", "../m.xml"));
    ck_assert_ptr_null(tc_package_resolve(NULL, "sim.sedml", "/m.xml"));
    ck_assert_ptr_null(tc_package_resolve(NULL, "sim.sedml", "urn:miriam:biomodels.db:X"));
}
END_TEST

/* ---- kind sniffing ------------------------------------------------------------ */

static const struct {
    const char *name;
    const char *text;
    tc_kind kind;
} sniffs[] = {
    {"m.xml", SBML, TC_KIND_SBML},
    {"m.xml",
     "\xEF\xBB\xBF<?xml version='1.0'?>\n<!-- <sedML xmlns='http://sed-ml.org/'> -->\n"
     "<!DOCTYPE sbml [ <!ENTITY x '>'> ]>\n<sbml level='2'/>",
     TC_KIND_SBML},
    {"c.cellml", "<c:model xmlns=\"x\" xmlns:c=\"http://www.cellml.org/cellml/2.0#\" name=\"a\"/>",
     TC_KIND_CELLML},
    /* the default namespace is not the element's when it has a prefix */
    {"c.xml", "<c:model xmlns=\"http://www.cellml.org/cellml/1.1#\" xmlns:c=\"urn:other\"/>",
     TC_KIND_XML},
    {"s.xml", SEDML, TC_KIND_SEDML},
    {"p.xml", "<Patient xmlns=\"http://hl7.org/fhir\"><id value=\"p\"/></Patient>",
     TC_KIND_FHIR_XML},
    {"meta.rdf", "<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'/>",
     TC_KIND_METADATA},
    /* the namespace is only looked for in the root's own start tag */
    {"x.xml", "<doc><sbml xmlns=\"http://www.sbml.org/sbml/level3/version2/core\"/></doc>",
     TC_KIND_XML},
    {"p.json", "{\"id\": \"x\", \"resourceType\": \"Patient\"}", TC_KIND_FHIR_JSON},
    {"d.json", "{\"contained\": [{\"resourceType\": \"Patient\"}], \"a\": \"resourceType\"}",
     TC_KIND_JSON},
    {"d.json", "[1, 2]", TC_KIND_JSON},
    {"data.csv", "time,value\n0,1\n", TC_KIND_CSV},
    {"notes.txt", "time,value\n0,1\n", TC_KIND_OTHER},
    {"broken.xml", "<?xml version='1.0'?><!-- never closed", TC_KIND_XML},
};

START_TEST(test_kind_sniff)
{
    const char *text = sniffs[_i].text;
    tc_kind k = tc_kind_sniff((const unsigned char *)text, strlen(text), sniffs[_i].name);
    ck_assert_msg(k == sniffs[_i].kind, "%s: sniffed %s, expected %s", sniffs[_i].name,
                  tc_kind_name(k), tc_kind_name(sniffs[_i].kind));
}
END_TEST

START_TEST(test_sniff_root_and_hdf5)
{
    char *local, *ns;
    const char *doc = "<?xml version=\"1.0\"?>\n<s:sedML a=\"1\" xmlns:s='http://sed-ml.org/x'>";
    ck_assert(tc_xml_sniff_root((const unsigned char *)doc, strlen(doc), &local, &ns));
    ck_assert_str_eq(local, "sedML");
    ck_assert_str_eq(ns, "http://sed-ml.org/x");
    free(local);
    free(ns);
    ck_assert(!tc_xml_sniff_root((const unsigned char *)"plain", 5, &local, &ns));

    unsigned char h5[1024] = {0};
    memcpy(h5 + 512, "\x89HDF\r\n\x1a\n", 8); /* after a 512-byte user block */
    ck_assert_int_eq(tc_kind_sniff(h5, sizeof h5, "r.h5"), TC_KIND_HDF5);
    ck_assert_int_eq(tc_kind_sniff(h5, 600, "r.h5"), TC_KIND_HDF5);
    h5[512] = 0;
    ck_assert_int_eq(tc_kind_sniff(h5, sizeof h5, "r.h5"), TC_KIND_OTHER);
}
END_TEST

START_TEST(test_format_lookup)
{
    tc_kind k;
    ck_assert_int_eq(tc_format_lookup("http://identifiers.org/combine.specifications/sbml.level-3"
                                      ".version-2",
                                      &k),
                     TC_FORMAT_KNOWN);
    ck_assert_int_eq(k, TC_KIND_SBML);
    ck_assert_int_eq(
        tc_format_lookup("http://identifiers.org/combine.specifications/omex-manifest", &k),
        TC_FORMAT_KNOWN);
    ck_assert_int_eq(k, TC_KIND_MANIFEST);
    ck_assert_int_eq(tc_format_lookup("http://purl.org/NET/mediatypes/application/x-hdf", &k),
                     TC_FORMAT_KNOWN);
    ck_assert_int_eq(k, TC_KIND_HDF5);
    ck_assert_int_eq(tc_format_lookup("http://purl.org/NET/mediatypes/image/png", &k),
                     TC_FORMAT_KNOWN);
    ck_assert_int_eq(k, TC_KIND_OTHER);
    ck_assert_int_eq(tc_format_lookup("urn:twincheck:format:credibility-dossier:1", &k),
                     TC_FORMAT_KNOWN);
    ck_assert_int_eq(k, TC_KIND_DOSSIER);
    ck_assert_int_eq(tc_format_lookup("text/csv", &k), TC_FORMAT_BARE_MEDIA);
    ck_assert_int_eq(k, TC_KIND_CSV);
    ck_assert_int_eq(tc_format_lookup("http://identifiers.org/combine.specifications/nope", &k),
                     TC_FORMAT_UNKNOWN_ID);
    ck_assert_int_eq(tc_format_lookup("model in SBML", &k), TC_FORMAT_INVALID);
}
END_TEST

/* ---- the manifest ------------------------------------------------------------- */

START_TEST(test_manifest_parsed)
{
    char *dir = make_tmp();
    put_file(
        dir, "manifest.xml",
        "<?xml version=\"1.0\"?>\n"
        "<omexManifest xmlns=\"http://identifiers.org/combine.specifications/omex-manifest\">\n"
        "  <content location=\".\" "
        "format=\"http://identifiers.org/combine.specifications/omex\"/>\n"
        "  <content location=\"./models/m.xml\" "
        "format=\"http://identifiers.org/combine.specifications/sbml\"/>\n"
        "  <content location=\"sim.sedml\" master=\" 1 \" "
        "format=\"http://identifiers.org/combine.specifications/sed-ml.level-1.version-4\"/>\n"
        "  <content location=\"dossier.json\" "
        "format=\"urn:twincheck:format:credibility-dossier:1\"/>\n"
        "  <content location=\"data.txt\" format=\"text/csv\"/>\n"
        "  <content location=\"models/m.xml\" "
        "format=\"http://identifiers.org/combine.specifications/sbml\"/>\n"
        "  <content location=\"gone.xml\" "
        "format=\"http://purl.org/NET/mediatypes/application/xml\"/>\n"
        "  <content format=\"application/xml\"/>\n"
        "  <content location=\"../up.xml\" format=\"application/xml\"/>\n"
        "</omexManifest>\n");
    put_file(dir, "models/m.xml", SBML);
    put_file(dir, "sim.sedml", SEDML);
    put_file(dir, "dossier.json", "{\"questionOfInterest\": \"q\"}");
    put_file(dir, "data.txt", "t,v\n0,1\n");
    tc_findings fs;
    tc_findings_init(&fs);
    tc_package *pkg = NULL;
    tc_limits lim = TC_LIMITS_DEFAULT;
    ck_assert_int_eq(tc_package_open(&pkg, dir, &lim, &fs), 0);
    ck_assert_int_eq(pkg->form, TC_PACKAGE_DIRECTORY);
    ck_assert(pkg->has_manifest);

    const tc_file *m = tc_package_find(pkg, "models/m.xml");
    ck_assert_ptr_nonnull(m);
    ck_assert(m->listed && m->present && !m->master);
    ck_assert_int_eq(m->kind, TC_KIND_SBML);
    ck_assert_int_eq(m->line, 4);
    const tc_file *s = tc_package_find(pkg, "sim.sedml");
    ck_assert(s->master);
    ck_assert_int_eq(s->kind, TC_KIND_SEDML);
    ck_assert_int_eq(tc_package_find(pkg, "dossier.json")->kind, TC_KIND_DOSSIER);
    ck_assert_int_eq(tc_package_find(pkg, "data.txt")->kind, TC_KIND_CSV);
    ck_assert_int_eq(tc_package_find(pkg, "manifest.xml")->kind, TC_KIND_MANIFEST);
    const tc_file *gone = tc_package_find(pkg, "gone.xml");
    ck_assert(gone->listed && !gone->present);

    const tc_finding *f = only(&fs, "omex:format-not-uri");
    ck_assert_int_eq(f->line, 7);
    ck_assert_ptr_nonnull(strstr(f->message, "http://purl.org/NET/mediatypes/text/csv"));
    f = only(&fs, "omex:duplicate-location");
    ck_assert_int_eq(f->line, 8);
    ck_assert_ptr_nonnull(strstr(f->message, "first at line 4"));
    f = only(&fs, "omex:missing-file");
    ck_assert_str_eq(f->file, "manifest.xml");
    ck_assert_int_eq(f->line, 9);
    ck_assert_ptr_nonnull(strstr(f->message, "gone.xml"));
    f = only(&fs, "omex:content-missing-attribute");
    ck_assert_int_eq(f->line, 10);
    f = only(&fs, "omex:path-traversal");
    ck_assert_int_eq(f->line, 11);
    ck_assert_ptr_null(tc_test_find(&fs, "omex:unlisted-file", NULL));
    ck_assert_ptr_null(tc_test_find(&fs, "omex:no-master", NULL));
    tc_package_free(pkg);
    tc_findings_release(&fs);
    remove_tree(dir);
    free(dir);
}
END_TEST

/* A manifest listing many files the package lacks: each is added as missing,
 * which moves the package's file table; the manifest's own entry was then updated
 * through a stale pointer (a use after free found by fuzzing). */
START_TEST(test_manifest_many_missing_files)
{
    char *dir = make_tmp();
    tc_buf man = TC_BUF_INIT;
    tc_buf_puts(&man, "<omexManifest xmlns=\"http://identifiers.org/combine.specifications/"
                      "omex-manifest\">\n<content location=\".\" "
                      "format=\"http://identifiers.org/combine.specifications/omex\"/>\n");
    for (int i = 0; i < 40; i++)
        tc_buf_printf(&man, "<content location=\"gone%02d.csv\" format=\"text/csv\"/>\n", i);
    tc_buf_puts(&man, "</omexManifest>\n");
    put_file(dir, "manifest.xml", man.data);
    tc_findings fs;
    tc_findings_init(&fs);
    tc_package *pkg = NULL;
    tc_limits limits = TC_LIMITS_DEFAULT;
    ck_assert_int_eq(tc_package_open(&pkg, dir, &limits, &fs), 0);
    ck_assert_uint_eq(pkg->nfiles, 41);
    const tc_file *mf = tc_package_find(pkg, "manifest.xml");
    ck_assert_ptr_nonnull(mf);
    ck_assert(mf->listed && mf->present);
    size_t missing = 0;
    for (size_t i = 0; i < fs.len; i++) {
        const tc_finding *f = &fs.items[i];
        ck_assert_msg(strcmp(f->rule, "omex:unlisted-file") != 0, "%s", f->message);
        if (strcmp(f->rule, "omex:missing-file") == 0) {
            ck_assert_str_eq(f->file, "manifest.xml");
            ck_assert_int_eq(f->line, (long)missing + 3);
            missing++;
        }
    }
    ck_assert_uint_eq(missing, 40);
    const tc_file *gone = tc_package_find(pkg, "gone39.csv");
    ck_assert(gone && gone->listed && !gone->present);
    tc_package_free(pkg);
    tc_findings_release(&fs);
    tc_buf_release(&man);
    remove_tree(dir);
    free(dir);
}
END_TEST

START_TEST(test_manifest_wrong_root_and_master)
{
    char *dir = make_tmp();
    put_file(dir, "manifest.xml", "<manifest><content location='a' format='x'/></manifest>");
    put_file(dir, "a", "text");
    tc_findings fs;
    tc_findings_init(&fs);
    tc_package *pkg = NULL;
    tc_limits lim = TC_LIMITS_DEFAULT;
    ck_assert_int_eq(tc_package_open(&pkg, dir, &lim, &fs), 0);
    const tc_finding *f = only(&fs, "omex:manifest-root");
    ck_assert_int_eq(f->line, 1);
    ck_assert_ptr_nonnull(strstr(f->message, "<omexManifest>"));
    /* an unreadable manifest lists nothing, so nothing is called unlisted */
    ck_assert_ptr_null(tc_test_find(&fs, "omex:unlisted-file", NULL));
    tc_package_free(pkg);
    tc_findings_release(&fs);

    tc_findings_init(&fs);
    put_file(
        dir, "manifest.xml",
        "<omexManifest xmlns=\"http://identifiers.org/combine.specifications/omex-manifest\">"
        "<content location='.' format='http://identifiers.org/combine.specifications/omex'/>"
        "<content location='a' master='yes' format='http://purl.org/NET/mediatypes/text/plain'/>"
        "<content location='http://example.org/m.xml' format='application/xml'/>"
        "</omexManifest>");
    ck_assert_int_eq(tc_package_open(&pkg, dir, &lim, &fs), 0);
    f = only(&fs, "omex:master-invalid");
    ck_assert_ptr_nonnull(strstr(f->message, "master=\"yes\""));
    only(&fs, "omex:external-location");
    only(&fs, "omex:no-master");
    tc_package_free(pkg);
    tc_findings_release(&fs);
    remove_tree(dir);
    free(dir);
}
END_TEST

/* ---- limits --------------------------------------------------------------------- */

START_TEST(test_limits_in_folders)
{
    char *dir = make_tmp();
    put_file(dir, "a.txt", "0123456789abcdef");
    put_file(dir, "b.txt", "0123");
    put_file(dir, "c.txt", "01");
    tc_findings fs;
    tc_package *pkg = NULL;
    tc_limits lim = TC_LIMITS_DEFAULT;

    lim.max_entries = 2;
    tc_findings_init(&fs);
    ck_assert_int_eq(tc_package_open(&pkg, dir, &lim, &fs), 0);
    ck_assert_int_eq(only(&fs, "omex:too-many-entries")->severity, TC_FATAL);
    ck_assert_ptr_null(tc_test_find(&fs, "omex:missing-manifest", NULL));
    tc_package_free(pkg);
    tc_findings_release(&fs);

    lim = TC_LIMITS_DEFAULT;
    lim.max_file_size = 10;
    tc_findings_init(&fs);
    ck_assert_int_eq(tc_package_open(&pkg, dir, &lim, &fs), 0);
    ck_assert_str_eq(only(&fs, "omex:file-too-large")->file, "a.txt");
    ck_assert(tc_package_find(pkg, "a.txt")->rejected);
    ck_assert_ptr_null(tc_package_find(pkg, "a.txt")->data);
    ck_assert_str_eq((const char *)tc_package_find(pkg, "b.txt")->data, "0123");
    tc_package_free(pkg);
    tc_findings_release(&fs);

    lim = TC_LIMITS_DEFAULT;
    lim.max_total_size = 18; /* a.txt (16) fits, b.txt does not */
    tc_findings_init(&fs);
    ck_assert_int_eq(tc_package_open(&pkg, dir, &lim, &fs), 0);
    ck_assert_str_eq(only(&fs, "omex:package-too-large")->file, "b.txt");
    tc_package_free(pkg);
    tc_findings_release(&fs);
    remove_tree(dir);
    free(dir);
}
END_TEST

/* An archive written by libzip itself: 2 MiB of one byte, deflated. */
static char *write_bomb(const char *dir)
{
    char *path = tc_xasprintf("%s/bomb.omex", dir);
    int err;
    zip_t *za = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
    ck_assert_ptr_nonnull(za);
    size_t n = 2u << 20;
    char *zeros = tc_xmalloc(n);
    memset(zeros, 'a', n);
    zip_source_t *src = zip_source_buffer(za, zeros, n, 0);
    ck_assert_int_ge(zip_file_add(za, "big.txt", src, 0), 0);
    ck_assert_int_eq(zip_close(za), 0);
    free(zeros);
    return path;
}

START_TEST(test_ratio_limit_on_inflated_bytes)
{
    char *dir = make_tmp();
    char *bomb = write_bomb(dir);
    tc_findings fs;
    tc_package *pkg = NULL;
    tc_limits lim = TC_LIMITS_DEFAULT;
    tc_findings_init(&fs);
    ck_assert_int_eq(tc_package_open(&pkg, bomb, &lim, &fs), 0);
    ck_assert_int_eq(pkg->form, TC_PACKAGE_ARCHIVE);
    const tc_finding *f = only(&fs, "omex:compression-ratio");
    ck_assert_str_eq(f->file, "big.txt");
    ck_assert(tc_package_find(pkg, "big.txt")->rejected);
    tc_package_free(pkg);
    tc_findings_release(&fs);

    /* below the size where the ratio counts, the same entry is read whole */
    lim.ratio_min_size = 4u << 20;
    tc_findings_init(&fs);
    ck_assert_int_eq(tc_package_open(&pkg, bomb, &lim, &fs), 0);
    ck_assert_ptr_null(tc_test_find(&fs, "omex:compression-ratio", NULL));
    ck_assert_uint_eq(tc_package_find(pkg, "big.txt")->size, 2u << 20);
    only(&fs, "omex:missing-manifest");
    tc_package_free(pkg);
    tc_findings_release(&fs);
    remove_tree(dir);
    free(bomb);
    free(dir);
}
END_TEST

START_TEST(test_many_files_each_once)
{
    char *dir = make_tmp();
    put_file(dir, "manifest.xml", "<omexManifest/>");
    for (int i = 0; i < 300; i++) {
        char name[32];
        snprintf(name, sizeof name, "d%d/f%d.txt", i % 7, i);
        put_file(dir, name, "x");
    }
    tc_findings fs;
    tc_findings_init(&fs);
    tc_package *pkg = NULL;
    tc_limits lim = TC_LIMITS_DEFAULT;
    ck_assert_int_eq(tc_package_open(&pkg, dir, &lim, &fs), 0);
    ck_assert_uint_eq(pkg->nfiles, 301);
    for (size_t i = 1; i < pkg->nfiles; i++)
        ck_assert_int_lt(strcmp(pkg->files[i - 1].path, pkg->files[i].path), 0);
    ck_assert_ptr_nonnull(tc_package_find(pkg, "d3/f150.txt"));
    ck_assert_ptr_null(tc_test_find(&fs, "omex:duplicate-entry", NULL));
    tc_package_free(pkg);
    tc_findings_release(&fs);
    remove_tree(dir);
    free(dir);
}
END_TEST

/* ---- links and special files in folder packages --------------------------------- */

START_TEST(test_folder_links)
{
    char *dir = make_tmp();
    char *outside = make_tmp();
    put_file(outside, "secret.txt", "not part of the package");
    put_file(dir, "manifest.xml",
             "<omexManifest xmlns=\"http://identifiers.org/combine.specifications/omex-manifest\">"
             "<content location='.' format='http://identifiers.org/combine.specifications/omex'/>"
             "<content location='data/real.csv' format='text/csv'/>"
             "<content location='data/alias.csv' format='http://purl.org/NET/mediatypes/text/csv'/>"
             "<content location='leak.txt' format='http://purl.org/NET/mediatypes/text/plain'/>"
             "</omexManifest>");
    put_file(dir, "data/real.csv", "t,v\n0,1\n");
    char *p = tc_xasprintf("%s/data/alias.csv", dir);
    ck_assert_int_eq(symlink("real.csv", p), 0);
    free(p);
    char *secret = tc_xasprintf("%s/secret.txt", outside);
    p = tc_xasprintf("%s/leak.txt", dir);
    ck_assert_int_eq(symlink(secret, p), 0);
    free(p);
    p = tc_xasprintf("%s/dangling", dir);
    ck_assert_int_eq(symlink("nowhere", p), 0);
    free(p);
    p = tc_xasprintf("%s/folder-link", dir);
    ck_assert_int_eq(symlink("data", p), 0);
    free(p);
    p = tc_xasprintf("%s/pipe", dir);
    ck_assert_int_eq(mkfifo(p, 0600), 0);
    free(p);

    tc_findings fs;
    tc_findings_init(&fs);
    tc_package *pkg = NULL;
    tc_limits lim = TC_LIMITS_DEFAULT;
    ck_assert_int_eq(tc_package_open(&pkg, dir, &lim, &fs), 0);
    const tc_file *alias = tc_package_find(pkg, "data/alias.csv");
    ck_assert_ptr_nonnull(alias);
    ck_assert_str_eq((const char *)alias->data, "t,v\n0,1\n");
    ck_assert_int_eq(alias->kind, TC_KIND_CSV);
    const tc_file *leak = tc_package_find(pkg, "leak.txt");
    ck_assert(leak->rejected && leak->data == NULL);
    for (size_t i = 0; i < fs.len; i++) {
        const tc_finding *f = &fs.items[i];
        if (strcmp(f->rule, "omex:symlink-escape") == 0)
            ck_assert_msg(strcmp(f->file, "leak.txt") == 0 || strcmp(f->file, "dangling") == 0,
                          "unexpected link finding on %s", f->file);
        ck_assert_msg(strcmp(f->rule, "omex:missing-file") != 0, "%s", f->message);
    }
    ck_assert_ptr_nonnull(strstr(tc_test_find(&fs, "omex:symlink-escape", "leak.txt")->message,
                                 "leaves the package"));
    ck_assert_ptr_nonnull(tc_test_find(&fs, "omex:symlink-escape", "dangling"));
    ck_assert_str_eq(only(&fs, "omex:symlink")->file, "folder-link");
    ck_assert_str_eq(only(&fs, "omex:special-file")->file, "pipe");
    only(&fs, "omex:format-not-uri");
    tc_package_free(pkg);
    tc_findings_release(&fs);
    remove_tree(dir);
    remove_tree(outside);
    free(secret);
    free(dir);
    free(outside);
}
END_TEST

/* ---- the private temporary folder ------------------------------------------------ */

START_TEST(test_materialize)
{
    char *dir = make_tmp();
    put_file(dir, "manifest.xml", "<omexManifest/>");
    put_file(dir, "models/deep/m.xml", SBML);
    tc_findings fs;
    tc_findings_init(&fs);
    tc_package *pkg = NULL;
    tc_limits lim = TC_LIMITS_DEFAULT;
    ck_assert_int_eq(tc_package_open(&pkg, dir, &lim, &fs), 0);
    const tc_file *m = tc_package_find(pkg, "models/deep/m.xml");
    const char *disk = NULL;
    ck_assert_int_eq(tc_package_materialize(pkg, m, &disk), 0);
    ck_assert_ptr_nonnull(pkg->tmpdir);
    char *want = tc_xasprintf("%s/models/deep/m.xml", pkg->tmpdir);
    ck_assert_str_eq(disk, want);
    struct stat st;
    ck_assert_int_eq(stat(pkg->tmpdir, &st), 0);
    ck_assert_int_eq(st.st_mode & 0777, 0700);
    unsigned char *back;
    size_t len;
    ck_assert_int_eq(tc_read_file(disk, 1 << 20, &back, &len), 0);
    ck_assert_str_eq((const char *)back, SBML);
    free(back);
    const char *again = NULL;
    ck_assert_int_eq(tc_package_materialize(pkg, m, &again), 0);
    ck_assert_ptr_eq(again, disk); /* written once */
    char *tmp = tc_xstrdup(pkg->tmpdir);
    tc_package_free(pkg);
    ck_assert_int_ne(stat(tmp, &st), 0); /* removed with the package */
    ck_assert_int_eq(errno, ENOENT);
    free(tmp);
    free(want);
    tc_findings_release(&fs);
    remove_tree(dir);
    free(dir);
}
END_TEST

/* ---- input errors: not findings -------------------------------------------------- */

START_TEST(test_input_errors)
{
    char *dir = make_tmp();
    char *fake = tc_xasprintf("%s/fake.omex", dir);
    put_file(dir, "fake.omex", "this is not a ZIP archive at all");
    tc_findings fs;
    tc_findings_init(&fs);
    tc_package *pkg = NULL;
    tc_limits lim = TC_LIMITS_DEFAULT;
    ck_assert_int_lt(tc_package_open(&pkg, fake, &lim, &fs), 0);
    ck_assert_ptr_null(pkg);
    ck_assert_ptr_nonnull(strstr(tc_error_last(), "ZIP"));
    char *missing = tc_xasprintf("%s/none.omex", dir);
    ck_assert_int_eq(tc_package_open(&pkg, missing, &lim, &fs), TC_ENOTFOUND);
    ck_assert_uint_eq(fs.len, 0);
    ck_assert_int_eq(tc_test_run(NULL, "validate", fake, NULL), 2);
    ck_assert_int_eq(tc_test_run(NULL, "validate", missing, NULL), 2);

    /* a single file is validated on its own: no manifest wanted */
    char *single = tc_xasprintf("%s/model.xml", dir);
    put_file(dir, "model.xml", SBML);
    ck_assert_int_eq(tc_package_open(&pkg, single, &lim, &fs), 0);
    ck_assert_int_eq(pkg->form, TC_PACKAGE_FILE);
    ck_assert_uint_eq(pkg->nfiles, 1);
    ck_assert_str_eq(pkg->files[0].path, "model.xml");
    ck_assert_int_eq(pkg->files[0].kind, TC_KIND_SBML);
    ck_assert_uint_eq(fs.len, 0);
    tc_package_free(pkg);
    tc_findings_release(&fs);
    remove_tree(dir);
    free(single);
    free(missing);
    free(fake);
    free(dir);
}
END_TEST

/* ---- the published archives --------------------------------------------------------- */

START_TEST(test_published_archives_open_cleanly)
{
    const char *shared = tc_test_shared();
    if (!shared) {
        fprintf(stderr, "test_intake: ../shared is absent; published archives not checked\n");
        return;
    }
    static const char *const dirs[] = {"testsuites/sedml-l1v4-examples",
                                       "testsuites/biosimulators-format-example"};
    size_t archives = 0;
    for (size_t d = 0; d < 2; d++) {
        char *path = tc_xasprintf("%s/%s", shared, dirs[d]);
        DIR *dp = opendir(path);
        ck_assert_msg(dp != NULL, "cannot list %s", path);
        struct dirent *e;
        while ((e = readdir(dp))) {
            size_t n = strlen(e->d_name);
            if (n < 5 || strcmp(e->d_name + n - 5, ".omex") != 0)
                continue;
            char *omex = tc_xasprintf("%s/%s", path, e->d_name);
            tc_findings fs;
            tc_findings_init(&fs);
            tc_package *pkg = NULL;
            tc_limits lim = TC_LIMITS_DEFAULT;
            ck_assert_msg(tc_package_open(&pkg, omex, &lim, &fs) == 0, "%s: %s", omex,
                          tc_error_last());
            ck_assert(pkg->has_manifest);
            ck_assert_msg(count_at_least(&fs, TC_ERROR) == 0, "%s: %s %s", omex, fs.items[0].rule,
                          fs.items[0].message);
            bool has_sedml = false;
            for (size_t i = 0; i < pkg->nfiles; i++)
                has_sedml =
                    has_sedml || (pkg->files[i].master && pkg->files[i].kind == TC_KIND_SEDML);
            ck_assert_msg(has_sedml, "%s: the master SED-ML was not recognised", omex);
            /* their known deviations are warnings */
            if (d == 0) {
                ck_assert_int_eq(only(&fs, "omex:manifest-namespace")->severity, TC_WARNING);
                ck_assert_int_eq(only(&fs, "omex:master-not-boolean")->severity, TC_WARNING);
            }
            archives++;
            tc_package_free(pkg);
            tc_findings_release(&fs);
            free(omex);
        }
        closedir(dp);
        free(path);
    }
    ck_assert_uint_ge(archives, 15);
}
END_TEST

Suite *intake_suite(void)
{
    Suite *s = suite_create("intake");
    TCase *tc = tcase_create("intake");
    tcase_add_loop_test(tc, test_path_normalize, 0, (int)(sizeof paths / sizeof paths[0]));
    tcase_add_test(tc, test_resolve);
    tcase_add_loop_test(tc, test_kind_sniff, 0, (int)(sizeof sniffs / sizeof sniffs[0]));
    tcase_add_test(tc, test_sniff_root_and_hdf5);
    tcase_add_test(tc, test_format_lookup);
    tcase_add_test(tc, test_manifest_parsed);
    tcase_add_test(tc, test_manifest_many_missing_files);
    tcase_add_test(tc, test_manifest_wrong_root_and_master);
    tcase_add_test(tc, test_limits_in_folders);
    tcase_add_test(tc, test_ratio_limit_on_inflated_bytes);
    tcase_add_test(tc, test_many_files_each_once);
    tcase_add_test(tc, test_folder_links);
    tcase_add_test(tc, test_materialize);
    tcase_add_test(tc, test_input_errors);
    tcase_add_test(tc, test_published_archives_open_cleanly);
    tcase_set_timeout(tc, 60);
    suite_add_tcase(s, tc);
    return s;
}
