/*
 * mkzip: write a ZIP archive, byte by byte, from a readable spec — including
 * archives no well-behaved tool would make (entry names with "..", duplicate
 * names, sizes in the headers that lie, symbolic links, corrupt data). Used by
 * `make check` to build the broken fixtures into build/fixtures/.
 *
 * Usage: mkzip SPEC OUT.omex
 *
 * The spec is a list of entries; '#' lines and blank lines outside an entry are
 * ignored:
 *
 *   entry NAME [option...]
 *   content line 1          <- each line is stored followed by "\n"
 *   end
 *
 * Options:
 *   store | deflate      how the data is stored (default deflate)
 *   method=N             write N as the compression method in the headers
 *   size=N               declare N as the uncompressed size (both headers)
 *   crc=HEX              declare this CRC-32 instead of the real one
 *   corrupt              damage the deflate stream (an invalid block type)
 *   encrypted            set the "encrypted" flag bit
 *   symlink              a Unix symbolic link; the content is the link target
 *                        (give it as one line; its newline is not stored)
 *   fill=BYTE:COUNT      the content is COUNT copies of the byte (decimal)
 *   from=PATH            the content is that file (relative to the spec)
 *   repeat=N             N entries; "%d" in NAME becomes 1..N
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

typedef struct buf {
    unsigned char *data;
    size_t len, cap;
} buf;

__attribute__((format(printf, 1, 2))) static void die(const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "mkzip: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(1);
}

static void put(buf *b, const void *data, size_t n)
{
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n)
            cap *= 2;
        b->data = realloc(b->data, cap);
        if (!b->data)
            die("%s", "out of memory");
        b->cap = cap;
    }
    if (n) /* memcpy with a NULL source is undefined even for 0 bytes */
        memcpy(b->data + b->len, data, n);
    b->len += n;
}

static void put16(buf *b, unsigned v)
{
    unsigned char c[2] = {v & 0xff, (v >> 8) & 0xff};
    put(b, c, 2);
}

static void put32(buf *b, uint32_t v)
{
    unsigned char c[4] = {v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, (v >> 24) & 0xff};
    put(b, c, 4);
}

typedef struct entry {
    char *name;
    buf content;
    int deflate, corrupt, encrypted, symlink;
    long method, size;
    long long crc;
    long repeat;
} entry;

static void read_file(buf *b, const char *dir, const char *rel)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    FILE *fp = fopen(path, "rb");
    if (!fp)
        die("cannot read %s", path);
    unsigned char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
        put(b, chunk, n);
    fclose(fp);
}

static void deflate_raw(const buf *in, buf *out)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (deflateInit2(&z, 9, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY) != Z_OK)
        die("%s", "deflateInit2 failed");
    uLong bound = deflateBound(&z, (uLong)in->len);
    out->data = malloc(bound + 1);
    out->cap = bound + 1;
    z.next_in = in->data;
    z.avail_in = (uInt)in->len;
    z.next_out = out->data;
    z.avail_out = (uInt)bound;
    if (deflate(&z, Z_FINISH) != Z_STREAM_END)
        die("%s", "deflate failed");
    out->len = z.total_out;
    deflateEnd(&z);
}

typedef struct written {
    char *name;
    uint32_t crc, csize, usize, offset, attr;
    unsigned flags, method;
} written;

static void emit(buf *zip, written *w, const entry *e, const char *name)
{
    buf data = {0};
    const buf *in = &e->content;
    if (e->deflate) {
        deflate_raw(in, &data);
        if (e->corrupt && data.len > 0)
            data.data[0] |= 0x06; /* BTYPE 11: reserved, an error in every inflater */
    } else {
        put(&data, in->data ? in->data : (const unsigned char *)"", in->len);
    }
    w->name = strdup(name);
    w->crc = e->crc >= 0 ? (uint32_t)e->crc : (uint32_t)crc32(0, in->data, (uInt)in->len);
    w->csize = (uint32_t)data.len;
    w->usize = e->size >= 0 ? (uint32_t)e->size : (uint32_t)in->len;
    w->flags = e->encrypted ? 1 : 0;
    w->method = e->method >= 0 ? (unsigned)e->method : (e->deflate ? 8 : 0);
    w->attr = (uint32_t)(e->symlink ? 0120777 : 0100644) << 16;
    w->offset = (uint32_t)zip->len;
    put32(zip, 0x04034b50);
    put16(zip, 20);
    put16(zip, w->flags);
    put16(zip, w->method);
    put16(zip, 0);      /* time */
    put16(zip, 0x5221); /* date: 2021-01-01 */
    put32(zip, w->crc);
    put32(zip, w->csize);
    put32(zip, w->usize);
    put16(zip, (unsigned)strlen(name));
    put16(zip, 0);
    put(zip, name, strlen(name));
    put(zip, data.data ? data.data : (unsigned char *)"", data.len);
    free(data.data);
}

static void central(buf *zip, const written *w)
{
    put32(zip, 0x02014b50);
    put16(zip, (3 << 8) | 20); /* made by: Unix */
    put16(zip, 20);
    put16(zip, w->flags);
    put16(zip, w->method);
    put16(zip, 0);
    put16(zip, 0x5221);
    put32(zip, w->crc);
    put32(zip, w->csize);
    put32(zip, w->usize);
    put16(zip, (unsigned)strlen(w->name));
    put16(zip, 0); /* extra */
    put16(zip, 0); /* comment */
    put16(zip, 0); /* disk */
    put16(zip, 0); /* internal attributes */
    put32(zip, w->attr);
    put32(zip, w->offset);
    put(zip, w->name, strlen(w->name));
}

static void parse_options(entry *e, char *opts, const char *dir)
{
    for (char *tok = strtok(opts, " \t"); tok; tok = strtok(NULL, " \t")) {
        if (strcmp(tok, "store") == 0)
            e->deflate = 0;
        else if (strcmp(tok, "deflate") == 0)
            e->deflate = 1;
        else if (strcmp(tok, "corrupt") == 0)
            e->corrupt = 1;
        else if (strcmp(tok, "encrypted") == 0)
            e->encrypted = 1;
        else if (strcmp(tok, "symlink") == 0)
            e->symlink = 1;
        else if (strncmp(tok, "method=", 7) == 0)
            e->method = strtol(tok + 7, NULL, 10);
        else if (strncmp(tok, "size=", 5) == 0)
            e->size = strtol(tok + 5, NULL, 10);
        else if (strncmp(tok, "crc=", 4) == 0)
            e->crc = strtoll(tok + 4, NULL, 16);
        else if (strncmp(tok, "repeat=", 7) == 0)
            e->repeat = strtol(tok + 7, NULL, 10);
        else if (strncmp(tok, "from=", 5) == 0)
            read_file(&e->content, dir, tok + 5);
        else if (strncmp(tok, "fill=", 5) == 0) {
            char *colon = strchr(tok, ':');
            if (!colon)
                die("bad option %s (fill=BYTE:COUNT)", tok);
            unsigned char byte = (unsigned char)strtol(tok + 5, NULL, 10);
            long count = strtol(colon + 1, NULL, 10);
            unsigned char chunk[4096];
            memset(chunk, byte, sizeof chunk);
            for (long done = 0; done < count; done += (long)sizeof chunk)
                put(&e->content, chunk,
                    (size_t)(count - done < (long)sizeof chunk ? count - done
                                                               : (long)sizeof chunk));
        } else
            die("unknown option %s", tok);
    }
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: mkzip SPEC OUT\n");
        return 2;
    }
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", argv[1]);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    else
        strcpy(dir, ".");
    FILE *fp = fopen(argv[1], "r");
    if (!fp)
        die("cannot read %s", argv[1]);
    buf zip = {0};
    written *ws = NULL;
    size_t nw = 0, capw = 0;
    char line[65536];
    while (fgets(line, sizeof line, fp)) {
        line[strcspn(line, "\n")] = '\0';
        if (line[0] == '#' || line[0] == '\0')
            continue;
        if (strncmp(line, "entry ", 6) != 0)
            die("expected 'entry NAME ...', found: %s", line);
        entry e = {.deflate = 1, .method = -1, .size = -1, .crc = -1, .repeat = 1};
        char *name = line + 6;
        char *opts = strpbrk(name, " \t");
        if (opts)
            *opts++ = '\0';
        e.name = strdup(name);
        if (opts)
            parse_options(&e, opts, dir);
        int ended = 0;
        while (fgets(line, sizeof line, fp)) {
            if (strcmp(line, "end\n") == 0 || strcmp(line, "end") == 0) {
                ended = 1;
                break;
            }
            put(&e.content, line, strlen(line));
        }
        if (!ended)
            die("entry %s has no 'end' line", e.name);
        if (e.symlink && e.content.len && e.content.data[e.content.len - 1] == '\n')
            e.content.len--;
        for (long i = 1; i <= e.repeat; i++) {
            char entry_name[4096];
            if (strstr(e.name, "%d"))
                snprintf(entry_name, sizeof entry_name, "%.*s%ld%s",
                         (int)(strstr(e.name, "%d") - e.name), e.name, i, strstr(e.name, "%d") + 2);
            else
                snprintf(entry_name, sizeof entry_name, "%s", e.name);
            if (nw == capw) {
                capw = capw ? 2 * capw : 64;
                ws = realloc(ws, capw * sizeof *ws);
                if (!ws)
                    die("%s", "out of memory");
            }
            emit(&zip, &ws[nw++], &e, entry_name);
        }
        free(e.name);
        free(e.content.data);
    }
    fclose(fp);
    uint32_t cd_start = (uint32_t)zip.len;
    for (size_t i = 0; i < nw; i++)
        central(&zip, &ws[i]);
    uint32_t cd_size = (uint32_t)zip.len - cd_start;
    put32(&zip, 0x06054b50);
    put16(&zip, 0);
    put16(&zip, 0);
    put16(&zip, (unsigned)nw);
    put16(&zip, (unsigned)nw);
    put32(&zip, cd_size);
    put32(&zip, cd_start);
    put16(&zip, 0);
    FILE *out = fopen(argv[2], "wb");
    if (!out || fwrite(zip.data, 1, zip.len, out) != zip.len || fclose(out) != 0)
        die("cannot write %s", argv[2]);
    for (size_t i = 0; i < nw; i++)
        free(ws[i].name);
    free(ws);
    free(zip.data);
    return 0;
}
