/* The credibility section as a table for terminals. */
#include <stdlib.h>
#include <string.h>

#include "assess.h"

static const char *s(const json_t *o, const char *key, const char *dflt)
{
    const char *v = json_string_value(json_object_get(o, key));
    return v ? v : dflt;
}

static void one(tc_buf *b, const json_t *sec)
{
    const json_t *pack = json_object_get(sec, "pack");
    tc_buf_printf(b, "credibility of %s against %s (%s)\n", s(sec, "target", "?"),
                  s(pack, "id", "?"), s(pack, "name", "?"));
    tc_buf_printf(b, "  dossier: %s\n", s(sec, "dossier", "(none)"));
    const json_t *risk = json_object_get(sec, "risk");
    if (json_is_object(risk)) {
        json_t *level = json_object_get(risk, "level");
        if (json_is_integer(level))
            tc_buf_printf(b, "  model risk: %lld of %lld (influence %s, consequence %s)\n",
                          (long long)json_integer_value(level),
                          (long long)json_integer_value(json_object_get(risk, "levels")),
                          s(risk, "influence", "?"), s(risk, "consequence", "?"));
        else
            tc_buf_printf(b, "  model risk: undetermined; requirements read at the highest, %lld\n",
                          (long long)json_integer_value(json_object_get(risk, "assessed_at")));
    }
    const json_t *factors = json_object_get(sec, "factors");
    bool untested = false;
    if (json_array_size(factors) > 0) {
        tc_buf_printf(b, "  %-46s %-14s %-14s %-14s %s\n", "factor", "required", "claimed",
                      "supported", "verdict");
        size_t i;
        json_t *f;
        json_array_foreach(factors, i, f)
        {
            bool tool = json_is_true(json_object_get(f, "assessed_by_tool"));
            untested = untested || !tool;
            char *sup = tc_xasprintf("%s%s", s(f, "supported", "none"), tool ? "" : "*");
            tc_buf_printf(b, "  %-46s %-14s %-14s %-14s %s\n", s(f, "id", "?"),
                          s(f, "required", "-"), s(f, "claimed", "-"), sup, s(f, "verdict", "?"));
            free(sup);
        }
    }
    if (untested)
        tc_buf_puts(b, "  * not assessed by the tool: the gradation rests on the dossier's own "
                       "evidence, or on re-run results that are not available\n");
    const json_t *cmps = json_object_get(sec, "comparisons");
    size_t i;
    json_t *c;
    json_array_foreach(cmps, i, c)
    {
        json_t *v = json_object_get(c, "value");
        if (json_is_number(v))
            tc_buf_printf(b, "  comparison %s: %s = %.6g (threshold %.6g) %s\n", s(c, "id", "?"),
                          s(c, "metric", "?"), json_number_value(v),
                          json_number_value(json_object_get(c, "threshold")),
                          json_is_true(json_object_get(c, "passed")) ? "passed" : "FAILED");
        else
            tc_buf_printf(b, "  comparison %s: not recomputed (no simulated output)\n",
                          s(c, "id", "?"));
    }
    tc_buf_printf(b, "  verdict: %s\n", s(sec, "verdict", "?"));
}

char *tc_assess_text(const json_t *section)
{
    tc_buf b = TC_BUF_INIT;
    tc_buf_puts(&b, "");
    if (json_is_array(section)) {
        size_t i;
        json_t *sec;
        json_array_foreach(section, i, sec)
        {
            if (i)
                tc_buf_puts(&b, "\n");
            one(&b, sec);
        }
    } else if (json_is_object(section)) {
        one(&b, section);
    }
    return tc_buf_detach(&b);
}
