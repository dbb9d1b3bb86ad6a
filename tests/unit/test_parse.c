/* parse: well-formedness of XML and JSON, and the guards of the safe XML reader. */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <libxml/tree.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../testutil.h"
#include "parse/parse.h"

/* A file named `path` holding `len` bytes (copied; NUL-terminated like intake's). */
static tc_file make_file(const char *path, const void *data, size_t len)
{
    tc_file f = {0};
    f.path = (char *)path;
    f.data = tc_xmalloc(len + 1);
    memcpy(f.data, data, len);
    f.data[len] = '\0';
    f.size = len;
    f.present = true;
    return f;
}

/* Exactly one finding with this rule; checks file, line, column and message. */
static const tc_finding *expect_one(const tc_findings *fs, const char *rule, const char *file,
                                    long line, long column, const char *message)
{
    const tc_finding *found = NULL;
    size_t n = 0;
    for (size_t i = 0; i < fs->len; i++) {
        if (strcmp(fs->items[i].rule, rule) == 0) {
            found = &fs->items[i];
            n++;
        }
    }
    ck_assert_msg(n == 1, "expected one %s finding, got %zu (%zu in all%s%s)", rule, n, fs->len,
                  fs->len ? ", first: " : "", fs->len ? fs->items[0].message : "");
    ck_assert_str_eq(found->file, file);
    ck_assert_int_eq(found->line, line);
    ck_assert_int_eq(found->column, column);
    ck_assert_msg(strstr(found->message, message), "message \"%s\" lacks \"%s\"", found->message,
                  message);
    return found;
}

/* ---- XML: a table of small documents --------------------------------------------------- */

typedef struct xml_case {
    const char *text;
    size_t len; /* 0: strlen(text) */
    const char *rule; /* NULL: no finding at all */
    long line, column;
    const char *message;
    bool usable; /* a document comes back */
} xml_case;

#define LOL(n, m) "<!ENTITY " #n " \"&" #m ";&" #m ";&" #m ";&" #m ";&" #m ";&" #m ";&" #m ";&" #m ";&" #m ";&" #m ";\">\n"

static const xml_case xml_cases[] = {
    {"<?xml version=\"1.0\"?>\n<a>\n  <b></c>\n</a>\n", 0, "xml:not-well-formed", 3, 10,
     "Opening and ending tag mismatch: b line 3 and c", false},
    {"", 0, "xml:empty", 0, 0, "the file is empty", false},
    {" \n\t\n", 0, "xml:empty", 0, 0, "white space only", false},
    {"<a/><b/>", 0, "xml:not-well-formed", 1, 5, "Extra content at the end", false},
    {"<a>x\0y</a>", 10, "xml:not-well-formed", 1, 5, "Char 0x0 out of allowed range", false},
    {"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<a>caf\xe9</a>\n", 0, "xml:encoding", 2, 7,
     "not proper UTF-8", false},
    {"<?xml version=\"1.0\" encoding=\"US-ASCII\"?>\n<a>caf\xe9</a>\n", 0, "xml:encoding", 2, 7,
     "not valid in the US-ASCII encoding", false},
    {"<?xml version=\"1.0\" encoding=\"X-NO-SUCH\"?>\n<a/>\n", 0, "xml:encoding", 1, 41,
     "Unsupported encoding X-NO-SUCH", false},
    {"<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n<a/>\n", 0, "xml:encoding", 1, 38,
     "labelled UTF-16 but has UTF-8 content", false},
    {"\0\0\0<\0\0\0a\0\0\0/\0\0\0>", 16, "xml:encoding", 1, 1, "UCS-4", false},
    {"\xef\xbb\xbf<?xml version=\"1.0\"?>\n<a>caf\xc3\xa9</a>\n", 0, NULL, 0, 0, NULL, true},
    {"\xff\xfe<\0a\0/\0>\0", 10, NULL, 0, 0, NULL, true},
    {"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<a>caf\xe9</a>\n", 0, NULL, 0, 0, NULL,
     true},
    {"<a xmlns:p=\"urn:x\">\n<q:b/></a>\n", 0, "xml:namespace", 2, 5,
     "Namespace prefix q on b is not defined", false},
    {"<?xml version=\"1.0\"?>\n<!DOCTYPE r [\n<!ATTLIST r a CDATA \"d\">\n]>\n<r/>\n", 0,
     "xml:doctype", 2, 0, "<!DOCTYPE r>", true},
    {"<?xml version=\"1.0\"?>\n<!DOCTYPE r SYSTEM \"http://example.org/r.dtd\">\n<r/>\n", 0,
     "xml:external-dtd", 2, 0, "external DTD (http://example.org/r.dtd) that is not read",
     true},
    {"<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<r>\n &x;</r>\n", 0,
     "xml:external-entity", 3, 5, "external entity 'x' (file:///etc/passwd), which is not read",
     true},
    {"<!DOCTYPE r [<!ENTITY % p SYSTEM \"http://example.org/p.ent\">\n%p;]>\n<r/>\n", 0,
     "xml:external-entity", 2, 4, "external parameter entity 'p' (http://example.org/p.ent)",
     true},
    {"<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<r a=\"&x;\"/>\n", 0,
     "xml:external-entity", 2, 10, "Attribute references external entity 'x'", false},
    {"<!DOCTYPE html SYSTEM \"xhtml.dtd\">\n<html>&nbsp;</html>\n", 0, "xml:external-entity",
     2, 13, "entity 'nbsp' is not declared in the document", true},
    {"<!DOCTYPE r [<!ENTITY a \"&b;\"><!ENTITY b \"&a;\">]>\n<r>\n&a;</r>\n", 0,
     "xml:entity-expansion", 3, 4, "Detected an entity reference loop", false},
    {"<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n" LOL(lol1, lol)
         LOL(lol2, lol1) LOL(lol3, lol2) LOL(lol4, lol3) LOL(lol5, lol4) LOL(lol6, lol5)
             LOL(lol7, lol6) LOL(lol8, lol7) LOL(lol9, lol8) "]>\n<lolz>&lol9;</lolz>\n",
     0, "xml:entity-expansion", 14, 13, "entity-expansion bomb", false},
    {"<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n" LOL(lol1, lol)
         LOL(lol2, lol1) LOL(lol3, lol2) LOL(lol4, lol3) LOL(lol5, lol4) LOL(lol6, lol5)
             LOL(lol7, lol6) LOL(lol8, lol7) LOL(lol9, lol8) "]>\n<lolz a=\"&lol9;\"/>\n",
     0, "xml:entity-expansion", 14, 16, "entity-expansion bomb", false},
};

START_TEST(test_xml_cases)
{
    const xml_case *c = &xml_cases[_i];
    tc_findings fs;
    tc_findings_init(&fs);
    tc_file f = make_file("m/doc.xml", c->text, c->len ? c->len : strlen(c->text));
    xmlDocPtr doc = tc_parse_xml(&f, &fs);
    if (c->rule) {
        expect_one(&fs, c->rule, "m/doc.xml", c->line, c->column, c->message);
    } else {
        ck_assert_msg(fs.len == 0, "case %d: unexpected finding %s: %s", _i,
                      fs.len ? fs.items[0].rule : "", fs.len ? fs.items[0].message : "");
    }
    ck_assert_msg((doc != NULL) == c->usable, "case %d: document %s", _i,
                  doc ? "returned" : "not returned");
    xmlFreeDoc(doc);
    free(f.data);
    tc_findings_release(&fs);
}
END_TEST

/* ---- XML: generated documents and the guards ------------------------------------------- */

static xmlDocPtr parse_buf(tc_buf *b, tc_findings *fs)
{
    tc_file f = make_file("big.xml", b->data, b->len);
    xmlDocPtr doc = tc_parse_xml(&f, fs);
    free(f.data);
    return doc;
}

static void nested(tc_buf *b, int depth)
{
    for (int i = 0; i < depth; i++)
        tc_buf_puts(b, "<a>");
    for (int i = 0; i < depth; i++)
        tc_buf_puts(b, "</a>");
}

START_TEST(test_xml_depth)
{
    tc_findings fs;
    tc_findings_init(&fs);
    tc_buf b = TC_BUF_INIT;
    nested(&b, 256);
    xmlDocPtr doc = parse_buf(&b, &fs);
    ck_assert_ptr_nonnull(doc);
    ck_assert_uint_eq(fs.len, 0);
    xmlFreeDoc(doc);
    tc_buf_release(&b);
    nested(&b, 100000);
    ck_assert_ptr_null(parse_buf(&b, &fs));
    /* the 257th <a> ends at column 771 */
    expect_one(&fs, "xml:too-deep", "big.xml", 1, 771, "nested more than 256 deep");
    tc_buf_release(&b);
    tc_findings_release(&fs);
}
END_TEST

START_TEST(test_xml_huge_text)
{
    tc_findings fs;
    tc_findings_init(&fs);
    tc_buf b = TC_BUF_INIT;
    tc_buf_puts(&b, "<a>\n");
    char *text = tc_xmalloc(10000001);
    memset(text, 'x', 10000001);
    tc_buf_add(&b, text, 10000001);
    free(text);
    tc_buf_puts(&b, "</a>");
    ck_assert_ptr_null(parse_buf(&b, &fs));
    const tc_finding *f = tc_test_find(&fs, "xml:too-large", "big.xml");
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(f->line, 2);
    ck_assert(strstr(f->message, "a text node is longer than 10000000 bytes"));
    ck_assert_uint_eq(fs.len, 1);
    tc_buf_release(&b);
    tc_findings_release(&fs);
}
END_TEST

/* libxml2 checks duplicate attributes pairwise: without the scan before parsing
 * this tag takes about ten minutes (measured with libxml2 2.9.14). */
START_TEST(test_xml_many_attributes)
{
    tc_findings fs;
    tc_findings_init(&fs);
    tc_buf b = TC_BUF_INIT;
    tc_buf_puts(&b, "<?xml version=\"1.0\"?>\n<r\n");
    for (int i = 0; i < 200000; i++)
        tc_buf_printf(&b, " a%d=\"x>y\"", i);
    tc_buf_puts(&b, "/>");
    ck_assert_ptr_null(parse_buf(&b, &fs));
    expect_one(&fs, "xml:too-large", "big.xml", 2, 1, "a start tag has 200000 attributes");
    tc_buf_release(&b);
    tc_findings_release(&fs);

    /* The same tag hidden in an entity value with a character reference. */
    tc_findings_init(&fs);
    tc_buf_puts(&b, "<!DOCTYPE r [<!ENTITY e \"&#60;t");
    for (int i = 0; i < 200000; i++)
        tc_buf_printf(&b, " a%d=''", i);
    tc_buf_puts(&b, "/>\">]>\n<r>&e;</r>");
    ck_assert_ptr_null(parse_buf(&b, &fs));
    const tc_finding *f = tc_test_find(&fs, "xml:too-large", "big.xml");
    ck_assert_ptr_nonnull(f);
    ck_assert(strstr(f->message, "entity 'e' contains a start tag with 200000 attributes"));
    tc_buf_release(&b);
    tc_findings_release(&fs);
}
END_TEST

/* The start-tag scan counts '=' outside quotes up to the next '<' or '>': the limit
 * is exceeded by one, not reached; a '<' (even quoted) starts a fresh count; comments
 * are not tags; and UTF-16 documents are counted the same way. */
static void tag_with(tc_buf *b, int n, const char *middle)
{
    tc_buf_puts(b, "<?xml version=\"1.0\"?>\n<r>\n<t");
    for (int i = 0; i < n; i++)
        tc_buf_printf(b, " a%d=\"%s\"", i, i == n / 2 && middle ? middle : "v");
    tc_buf_puts(b, "/></r>");
}

START_TEST(test_xml_attribute_scan_edges)
{
    tc_findings fs;
    tc_buf b = TC_BUF_INIT;

    tc_findings_init(&fs);
    tag_with(&b, 256, NULL);
    xmlDocPtr doc = parse_buf(&b, &fs);
    ck_assert_ptr_nonnull(doc);
    ck_assert_uint_eq(fs.len, 0);
    xmlFreeDoc(doc);
    tc_findings_release(&fs);
    tc_buf_release(&b);

    tc_findings_init(&fs);
    tag_with(&b, 257, NULL);
    ck_assert_ptr_null(parse_buf(&b, &fs));
    expect_one(&fs, "xml:too-large", "big.xml", 3, 1, "a start tag has 257 attributes");
    tc_findings_release(&fs);

    /* the same tag in UTF-16 (little-endian, with a byte order mark) */
    tc_buf u = TC_BUF_INIT;
    tc_buf_add(&u, "\xff\xfe", 2);
    for (size_t i = 0; i < b.len; i++) {
        char unit[2] = {b.data[i], 0};
        tc_buf_add(&u, unit, 2);
    }
    tc_findings_init(&fs);
    ck_assert_ptr_null(parse_buf(&u, &fs));
    expect_one(&fs, "xml:too-large", "big.xml", 3, 1, "a start tag has 257 attributes");
    tc_findings_release(&fs);
    tc_buf_release(&u);
    tc_buf_release(&b);

    /* a '<' inside a value splits the count: not over the limit, but not XML either */
    tc_findings_init(&fs);
    tag_with(&b, 400, "x<y");
    ck_assert_ptr_null(parse_buf(&b, &fs));
    ck_assert_ptr_null(tc_test_find(&fs, "xml:too-large", "big.xml"));
    ck_assert_ptr_nonnull(tc_test_find(&fs, "xml:not-well-formed", "big.xml"));
    tc_findings_release(&fs);
    tc_buf_release(&b);

    /* the count is of '=' signs, however tightly packed */
    tc_findings_init(&fs);
    tc_buf_puts(&b, "<r><t ");
    for (int i = 0; i < 257; i++)
        tc_buf_puts(&b, "=");
    tc_buf_puts(&b, "/></r>");
    ck_assert_ptr_null(parse_buf(&b, &fs));
    expect_one(&fs, "xml:too-large", "big.xml", 1, 4, "a start tag has 257 attributes");
    tc_findings_release(&fs);
    tc_buf_release(&b);

    /* many '=' in a comment are text */
    tc_findings_init(&fs);
    tc_buf_puts(&b, "<r><!--");
    for (int i = 0; i < 1000; i++)
        tc_buf_puts(&b, " a=\"v\"");
    tc_buf_puts(&b, " --></r>");
    doc = parse_buf(&b, &fs);
    ck_assert_ptr_nonnull(doc);
    ck_assert_uint_eq(fs.len, 0);
    xmlFreeDoc(doc);
    tc_findings_release(&fs);
    tc_buf_release(&b);
}
END_TEST

/* One 10 kB entity referenced 100,000 times: libxml2 parses it without
 * complaint (the references are kept), but asking for the element's text
 * builds a 1 GB string (measured: 1.2 s, 973 MB resident). The reader refuses
 * the document; without the guard the content call below does exactly that. */
START_TEST(test_xml_quadratic_blowup)
{
    tc_findings fs;
    tc_findings_init(&fs);
    tc_buf b = TC_BUF_INIT;
    tc_buf_puts(&b, "<?xml version=\"1.0\"?>\n<!DOCTYPE r [<!ENTITY a \"");
    for (int i = 0; i < 10000; i++)
        tc_buf_puts(&b, "A");
    tc_buf_puts(&b, "\">]>\n<r>");
    for (int i = 0; i < 100000; i++)
        tc_buf_puts(&b, "&a;");
    tc_buf_puts(&b, "</r>\n");
    xmlDocPtr doc = parse_buf(&b, &fs);
    if (doc) {
        xmlChar *content = xmlNodeGetContent(xmlDocGetRootElement(doc));
        xmlFree(content);
        xmlFreeDoc(doc);
        ck_abort_msg("the quadratic blowup was accepted");
    }
    expect_one(&fs, "xml:entity-expansion", "big.xml", 3, 0,
               "at a reference to 'a': an entity-expansion bomb");
    tc_buf_release(&b);
    tc_findings_release(&fs);
}
END_TEST

/* libxml2 2.9.14 fails documents over 10 MB read from memory when their last
 * start tag is long ("Huge input lookup"); this one is valid and must pass. */
START_TEST(test_xml_large_valid)
{
    tc_findings fs;
    tc_findings_init(&fs);
    tc_buf b = TC_BUF_INIT;
    tc_buf_puts(&b, "<r>");
    for (int i = 0; i < 20000; i++) {
        tc_buf_puts(&b, "\n<a");
        for (int k = 0; k < 100; k++)
            tc_buf_printf(&b, " a%d=\"\"", k);
        tc_buf_puts(&b, "/>");
    }
    tc_buf_puts(&b, "</r>");
    ck_assert_uint_gt(b.len, 10000000);
    xmlDocPtr doc = parse_buf(&b, &fs);
    ck_assert_msg(doc != NULL, "%s", fs.len ? fs.items[0].message : "no finding");
    ck_assert_uint_eq(fs.len, 0);
    ck_assert_int_eq(tc_xml_line(xmlGetLastChild(xmlDocGetRootElement(doc))), 20001);
    xmlFreeDoc(doc);
    tc_buf_release(&b);
    tc_findings_release(&fs);
}
END_TEST

/* Neither a file nor the network is touched for external entities and DTDs. */
START_TEST(test_xml_nothing_fetched)
{
    char path[] = "/tmp/tc-parse-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, "SECRET-SENTINEL", 15), 15);
    close(fd);

    int lsock = socket(AF_INET, SOCK_STREAM, 0);
    ck_assert_int_ge(lsock, 0);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t alen = sizeof addr;
    ck_assert_int_eq(bind(lsock, (struct sockaddr *)&addr, sizeof addr), 0);
    ck_assert_int_eq(listen(lsock, 4), 0);
    ck_assert_int_eq(getsockname(lsock, (struct sockaddr *)&addr, &alen), 0);
    fcntl(lsock, F_SETFL, O_NONBLOCK);

    char *text = tc_xasprintf(
        "<!DOCTYPE r SYSTEM \"http://127.0.0.1:%d/r.dtd\" [\n"
        "<!ENTITY f SYSTEM \"file://%s\">\n<!ENTITY h SYSTEM \"http://127.0.0.1:%d/h\">\n"
        "<!ENTITY %% p SYSTEM \"http://127.0.0.1:%d/p\">\n%%p;\n]>\n<r>&f;&h;</r>\n",
        ntohs(addr.sin_port), path, ntohs(addr.sin_port), ntohs(addr.sin_port));
    tc_findings fs;
    tc_findings_init(&fs);
    tc_file f = make_file("ext.xml", text, strlen(text));
    xmlDocPtr doc = tc_parse_xml(&f, &fs);
    ck_assert_ptr_nonnull(doc);
    xmlChar *content = xmlNodeGetContent(xmlDocGetRootElement(doc));
    ck_assert_ptr_null(strstr(content ? (char *)content : "", "SENTINEL"));
    xmlFree(content);
    ck_assert_int_lt(accept(lsock, NULL, NULL), 0);
    ck_assert(errno == EAGAIN || errno == EWOULDBLOCK);
    ck_assert_ptr_nonnull(tc_test_find(&fs, "xml:external-dtd", "ext.xml"));
    size_t external = 0;
    for (size_t i = 0; i < fs.len; i++)
        external += strcmp(fs.items[i].rule, "xml:external-entity") == 0;
    ck_assert_uint_eq(external, 3); /* f, h and p */
    xmlFreeDoc(doc);
    free(f.data);
    free(text);
    tc_findings_release(&fs);
    close(lsock);
    unlink(path);
}
END_TEST

/* ---- JSON ------------------------------------------------------------------------------- */

typedef struct json_case {
    const char *text;
    size_t len;
    const char *rule;
    long line, column;
    const char *pointer; /* NULL: none expected */
    const char *message;
    bool usable;
} json_case;

static const json_case json_cases[] = {
    {"{\n  \"a\": 1,\n  \"b\": {\"x\": [1, {\"k\": 1,\n   \"k\": 2}]}\n}\n", 0,
     "json:duplicate-key", 4, 6, "/b/x/1/k", "duplicate member name \"k\" in the object at /b/x/1",
     false},
    {"{\"a/b\": {\"c~d\": [0, {\"k\": 1, \"k\": 2}]}}", 0, "json:duplicate-key", 1, 32,
     "/a~1b/c~0d/1/k", "\"k\" in the object at /a~1b/c~0d/1", false},
    {"{\"id\": 1, \"id\": 2}", 0, "json:duplicate-key", 1, 14, "/id",
     "in the object at the top level", false},
    {"{\"a\": \"caf\xe9\"}", 0, "json:encoding", 1, 10, "/a", "unable to decode byte 0xe9",
     false},
    {"{\"a\": \"\\ud800\"}", 0, "json:encoding", 1, 14, "/a", "invalid Unicode", false},
    {"\xef\xbb\xbf{\"a\": 1}", 0, "json:encoding", 1, 1, NULL, "byte order mark", true},
    {"{\"a\": \"x\0y\"}", 12, "json:nul", 1, 9, NULL, "NUL byte", false},
    {"{\"a\": [\"x\\u0000y\"]}", 0, "json:nul", 1, 17, "/a/0", "U+0000", false},
    {"{\"a\": 1} x", 0, "json:not-well-formed", 1, 10, "", "content after the end", false},
    {"{\"a\": [1, 2", 0, "json:not-well-formed", 1, 11, "/a/1", "']' expected", false},
    {"", 0, "json:empty", 0, 0, NULL, "the file is empty", false},
    {"  \n ", 0, "json:empty", 0, 0, NULL, "white space only", false},
    {"{\"a\": {\"b\": 1e400}}", 0, "json:number-range", 1, 17, "/a/b", "real number overflow",
     false},
    {"[1, 123456789012345678901234567890]", 0, "json:number-range", 1, 34, "/1",
     "too big integer", false},
    {"{\"resourceType\": \"Patient\", \"name\": [{\"given\": [\"\xc3\xa9\"]}]}", 0, NULL, 0, 0,
     NULL, NULL, true},
};

START_TEST(test_json_cases)
{
    const json_case *c = &json_cases[_i];
    tc_findings fs;
    tc_findings_init(&fs);
    tc_file f = make_file("p/x.json", c->text, c->len ? c->len : strlen(c->text));
    json_t *j = tc_parse_json(&f, &fs);
    if (c->rule) {
        const tc_finding *found = expect_one(&fs, c->rule, "p/x.json", c->line, c->column,
                                             c->message);
        if (c->pointer) {
            ck_assert_ptr_nonnull(found->path);
            ck_assert_str_eq(found->path, c->pointer);
        }
    } else {
        ck_assert_msg(fs.len == 0, "case %d: unexpected %s", _i,
                      fs.len ? fs.items[0].message : "");
    }
    ck_assert_msg((j != NULL) == c->usable, "case %d", _i);
    json_decref(j);
    free(f.data);
    tc_findings_release(&fs);
}
END_TEST

START_TEST(test_json_deep)
{
    tc_findings fs;
    tc_findings_init(&fs);
    tc_buf b = TC_BUF_INIT;
    for (int i = 0; i < 100000; i++)
        tc_buf_puts(&b, "[");
    for (int i = 0; i < 100000; i++)
        tc_buf_puts(&b, "]");
    tc_file f = make_file("deep.json", b.data, b.len);
    ck_assert_ptr_null(tc_parse_json(&f, &fs));
    const tc_finding *found =
        expect_one(&fs, "json:too-deep", "deep.json", 1, 2049, "nested more than 2048 deep");
    ck_assert_uint_eq(strlen(found->path), 2048 * 2); /* "/0" per level */
    free(f.data);
    tc_buf_release(&b);
    tc_findings_release(&fs);
}
END_TEST

/* The bundled valid package is well-formed throughout. */
START_TEST(test_valid_package_parses)
{
    char *out = NULL;
    int rc = tc_test_run(&out, "validate", "--format", "json",
                         TC_SOURCE("fixtures/valid/pk-two-compartment"), NULL);
    ck_assert_msg(rc == 0, "exit status %d: %s", rc, out);
    ck_assert_ptr_null(strstr(out, "\"xml:"));
    ck_assert_ptr_null(strstr(out, "\"json:"));
    free(out);
}
END_TEST

Suite *parse_suite(void)
{
    Suite *s = suite_create("parse");
    TCase *tc = tcase_create("xml");
    tcase_add_loop_test(tc, test_xml_cases, 0, (int)(sizeof xml_cases / sizeof xml_cases[0]));
    tcase_add_test(tc, test_xml_nothing_fetched);
    suite_add_tcase(s, tc);

    TCase *guards = tcase_create("xml-guards");
    tcase_set_timeout(guards, 30);
    tcase_add_test(guards, test_xml_depth);
    tcase_add_test(guards, test_xml_huge_text);
    tcase_add_test(guards, test_xml_many_attributes);
    tcase_add_test(guards, test_xml_attribute_scan_edges);
    tcase_add_test(guards, test_xml_quadratic_blowup);
    tcase_add_test(guards, test_xml_large_valid);
    suite_add_tcase(s, guards);

    TCase *json = tcase_create("json");
    tcase_set_timeout(json, 30);
    tcase_add_loop_test(json, test_json_cases, 0,
                        (int)(sizeof json_cases / sizeof json_cases[0]));
    tcase_add_test(json, test_json_deep);
    tcase_add_test(json, test_valid_package_parses);
    suite_add_tcase(s, json);
    return s;
}
