/* Units (sbml:105xx): the unit of every expression, derived from the units of what
 * it refers to, compared with what the element it sits in expects. A number without
 * units, or a parameter without units, makes an expression's unit partly undeclared;
 * such an expression is not compared (nothing is known to be wrong). */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sbml_impl.h"

/* ---- unit algebra ---- */
enum { D_METRE, D_KG, D_SECOND, D_AMPERE, D_KELVIN, D_MOLE, D_CANDELA, D_ITEM, D_COUNT };

typedef struct uvec {
    double e[D_COUNT];
    double log10f;   /* log10 of the factor relative to SI */
    bool undeclared; /* some part has no declared unit */
} uvec;

static const uvec U_NONE = {{0}, 0, false};

static uvec u_undeclared(void)
{
    uvec u = U_NONE;
    u.undeclared = true;
    return u;
}

static void u_mul(uvec *a, const uvec *b, double power)
{
    for (int i = 0; i < D_COUNT; i++)
        a->e[i] += b->e[i] * power;
    a->log10f += b->log10f * power;
    a->undeclared = a->undeclared || b->undeclared;
}

static bool u_equal(const uvec *a, const uvec *b)
{
    for (int i = 0; i < D_COUNT; i++)
        if (fabs(a->e[i] - b->e[i]) > 1e-9)
            return false;
    return fabs(a->log10f - b->log10f) < 1e-6;
}

static bool u_dimensionless(const uvec *a)
{
    for (int i = 0; i < D_COUNT; i++)
        if (fabs(a->e[i]) > 1e-9)
            return false;
    return true;
}

/* ---- units as text ---- */
_Static_assert(D_COUNT == SBML_UNIT_DIMS, "sbml_unit_text takes the dimensions of uvec");

/* Append to buf (size n, *len used so far); output that does not fit is cut. */
static void put(char *buf, size_t n, size_t *len, const char *fmt, ...) TC_PRINTF(4, 5);
static void put(char *buf, size_t n, size_t *len, const char *fmt, ...)
{
    if (*len + 1 >= n)
        return;
    va_list ap;
    va_start(ap, fmt);
    int w = vsnprintf(buf + *len, n - *len, fmt, ap);
    va_end(ap);
    if (w > 0)
        *len = *len + (size_t)w < n ? *len + (size_t)w : n - 1;
}

/* A number as short as it reads: whole numbers without decimals. */
static void put_number(char *buf, size_t n, size_t *len, double v)
{
    if (fabs(v - round(v)) < 1e-9 && fabs(v) < 1e15)
        put(buf, n, len, "%.0f", round(v));
    else
        put(buf, n, len, "%.4g", v);
}

/* The units with exponents of one sign, joined by "*", substance first as modellers
 * write it (mole/(litre*second)); returns how many. */
static int put_units(char *buf, size_t n, size_t *len, const double x[SBML_UNIT_DIMS],
                     const char *const names[SBML_UNIT_DIMS], int sign)
{
    static const int order[SBML_UNIT_DIMS] = {D_MOLE,   D_ITEM,   D_KG,     D_METRE,
                                              D_SECOND, D_AMPERE, D_KELVIN, D_CANDELA};
    int count = 0;
    for (int i = 0; i < SBML_UNIT_DIMS; i++) {
        int d = order[i];
        double v = x[d] * sign;
        if (!(v > 1e-9))
            continue;
        put(buf, n, len, "%s%s", count ? "*" : "", names[d]);
        if (fabs(v - 1) > 1e-9) {
            put(buf, n, len, "^");
            put_number(buf, n, len, v);
        }
        count++;
    }
    return count;
}

/* Litres for metre^3k and grams for kilograms when that takes a power of ten away
 * (10^-3 metre^3 is a litre, 10^3 mole/metre^3 a mole/litre). */
static void prefer_litre_gram(double x[SBML_UNIT_DIMS], const char *names[SBML_UNIT_DIMS],
                              double *log10f)
{
    double k = x[D_METRE] / 3;
    if (fabs(k) > 1e-9 && fabs(k - round(k)) < 1e-9 &&
        fabs(*log10f + 3 * k) < fabs(*log10f) - 1e-6) {
        names[D_METRE] = "litre";
        x[D_METRE] = round(k);
        *log10f += 3 * round(k);
    }
    k = x[D_KG];
    if (fabs(k) > 1e-9 && fabs(*log10f + 3 * k) < fabs(*log10f) - 1e-6) {
        names[D_KG] = "gram";
        *log10f += 3 * k;
    }
}

const char *sbml_unit_text(char *buf, size_t n, const double e[SBML_UNIT_DIMS], double log10f)
{
    const char *names[SBML_UNIT_DIMS] = {"metre",  "kilogram", "second",  "ampere",
                                         "kelvin", "mole",     "candela", "item"};
    double x[SBML_UNIT_DIMS];
    size_t len = 0;
    if (!buf || n == 0)
        return "";
    buf[0] = '\0';
    memcpy(x, e, sizeof(x));
    prefer_litre_gram(x, names, &log10f);
    /* the factor: a power of ten when it is one (scales), else the number (multipliers) */
    bool factor = fabs(log10f) > 1e-6;
    if (factor && fabs(log10f - round(log10f)) < 1e-6) {
        put(buf, n, &len, "10^");
        put_number(buf, n, &len, log10f);
    } else if (factor) {
        put(buf, n, &len, "%.6g", pow(10, log10f));
    }
    int neg = 0;
    for (int d = 0; d < SBML_UNIT_DIMS; d++)
        neg += x[d] < -1e-9;
    size_t mark = len;
    if (factor)
        put(buf, n, &len, " ");
    int pos = put_units(buf, n, &len, x, names, 1);
    if (pos == 0 && neg == 0) {
        put(buf, n, &len, "dimensionless");
        return buf;
    }
    if (neg == 0)
        return buf;
    if (pos == 0) { /* "1/second", or "10^3/second" after a factor */
        len = mark;
        buf[len] = '\0';
        put(buf, n, &len, "%s/", factor ? "" : "1");
    } else {
        put(buf, n, &len, "/");
    }
    put(buf, n, &len, "%s", neg > 1 ? "(" : "");
    put_units(buf, n, &len, x, names, -1);
    put(buf, n, &len, "%s", neg > 1 ? ")" : "");
    return buf;
}

/* A uvec as text, into a buffer of SBML_UNIT_TEXT_MAX bytes. */
static const char *u_text(char *buf, const uvec *u)
{
    return sbml_unit_text(buf, SBML_UNIT_TEXT_MAX, u->e, u->log10f);
}

/* Base units of SBML in SI dimensions. */
static bool base_unit(const char *kind, uvec *u)
{
    static const struct {
        const char *k;
        double m, kg, s, a, kel, mol, cd, item, lf;
    } t[] = {
        {"metre", 1, 0, 0, 0, 0, 0, 0, 0, 0},
        {"meter", 1, 0, 0, 0, 0, 0, 0, 0, 0},
        {"kilogram", 0, 1, 0, 0, 0, 0, 0, 0, 0},
        {"gram", 0, 1, 0, 0, 0, 0, 0, 0, -3},
        {"second", 0, 0, 1, 0, 0, 0, 0, 0, 0},
        {"ampere", 0, 0, 0, 1, 0, 0, 0, 0, 0},
        {"kelvin", 0, 0, 0, 0, 1, 0, 0, 0, 0},
        {"Celsius", 0, 0, 0, 0, 1, 0, 0, 0, 0},
        {"celsius", 0, 0, 0, 0, 1, 0, 0, 0, 0},
        {"mole", 0, 0, 0, 0, 0, 1, 0, 0, 0},
        {"candela", 0, 0, 0, 0, 0, 0, 1, 0, 0},
        {"item", 0, 0, 0, 0, 0, 0, 0, 1, 0},
        {"dimensionless", 0, 0, 0, 0, 0, 0, 0, 0, 0},
        {"radian", 0, 0, 0, 0, 0, 0, 0, 0, 0},
        {"steradian", 0, 0, 0, 0, 0, 0, 0, 0, 0},
        {"litre", 3, 0, 0, 0, 0, 0, 0, 0, -3},
        {"liter", 3, 0, 0, 0, 0, 0, 0, 0, -3},
        {"hertz", 0, 0, -1, 0, 0, 0, 0, 0, 0},
        {"becquerel", 0, 0, -1, 0, 0, 0, 0, 0, 0},
        {"newton", 1, 1, -2, 0, 0, 0, 0, 0, 0},
        {"pascal", -1, 1, -2, 0, 0, 0, 0, 0, 0},
        {"joule", 2, 1, -2, 0, 0, 0, 0, 0, 0},
        {"watt", 2, 1, -3, 0, 0, 0, 0, 0, 0},
        {"coulomb", 0, 0, 1, 1, 0, 0, 0, 0, 0},
        {"volt", 2, 1, -3, -1, 0, 0, 0, 0, 0},
        {"farad", -2, -1, 4, 2, 0, 0, 0, 0, 0},
        {"ohm", 2, 1, -3, -2, 0, 0, 0, 0, 0},
        {"siemens", -2, -1, 3, 2, 0, 0, 0, 0, 0},
        {"weber", 2, 1, -2, -1, 0, 0, 0, 0, 0},
        {"tesla", 0, 1, -2, -1, 0, 0, 0, 0, 0},
        {"henry", 2, 1, -2, -2, 0, 0, 0, 0, 0},
        {"lumen", 0, 0, 0, 0, 0, 0, 1, 0, 0},
        {"lux", -2, 0, 0, 0, 0, 0, 1, 0, 0},
        {"gray", 2, 0, -2, 0, 0, 0, 0, 0, 0},
        {"sievert", 2, 0, -2, 0, 0, 0, 0, 0, 0},
        {"katal", 0, 0, -1, 0, 0, 1, 0, 0, 0},
        {"avogadro", 0, 0, 0, 0, 0, 0, 0, 0, 23.779750847359157},
    };
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
        if (t[i].k[0] == kind[0] && strcmp(t[i].k, kind) == 0) { /* first letters first */
            *u = U_NONE;
            u->e[D_METRE] = t[i].m;
            u->e[D_KG] = t[i].kg;
            u->e[D_SECOND] = t[i].s;
            u->e[D_AMPERE] = t[i].a;
            u->e[D_KELVIN] = t[i].kel;
            u->e[D_MOLE] = t[i].mol;
            u->e[D_CANDELA] = t[i].cd;
            u->e[D_ITEM] = t[i].item;
            u->log10f = t[i].lf;
            return true;
        }
    return false;
}

/* The unit named `ref` (a unit definition, a base unit or a Level 1-2 predefined
 * name). Returns false when it names nothing known. */
static bool unit_named(const sbml_ctx *c, const char *ref, uvec *out)
{
    const tc_sbml_unitdef *d = sbml_unitdef(c, ref);
    if (d && d->nunits == 0)
        return false; /* an empty definition declares nothing */
    if (d) {
        *out = U_NONE;
        for (size_t i = 0; i < d->nunits; i++) {
            const tc_sbml_unit *u = &d->units[i];
            uvec b;
            if (!u->kind || !base_unit(u->kind, &b))
                return false;
            double exp = u->exponent.set ? u->exponent.v : 1;
            double scale = u->scale.set ? u->scale.v : 0;
            double mult = u->multiplier.set ? u->multiplier.v : 1;
            if (mult <= 0)
                return false;
            b.log10f += scale + log10(mult);
            u_mul(out, &b, exp);
        }
        return true;
    }
    if (base_unit(ref, out))
        return true;
    if (c->doc->level < 3) {
        if (strcmp(ref, "substance") == 0)
            return base_unit("mole", out);
        if (strcmp(ref, "volume") == 0)
            return base_unit("litre", out);
        if (strcmp(ref, "time") == 0)
            return base_unit("second", out);
        /* Level 1 predefines substance, time and volume only */
        if (c->doc->level == 2 && strcmp(ref, "length") == 0)
            return base_unit("metre", out);
        if (c->doc->level == 2 && strcmp(ref, "area") == 0) {
            base_unit("metre", out);
            out->e[D_METRE] = 2;
            return true;
        }
    }
    return false;
}

/* A unit attribute that may be unset: `fallback` names a model default. */
static uvec unit_or_undeclared(const sbml_ctx *c, const char *ref)
{
    uvec u;
    if (ref && unit_named(c, ref, &u))
        return u;
    return u_undeclared();
}

static uvec time_units(const sbml_ctx *c)
{
    if (c->doc->level >= 3)
        return unit_or_undeclared(c, c->m->time_units);
    return unit_or_undeclared(c, "time");
}

static uvec extent_units(const sbml_ctx *c)
{
    if (c->doc->level >= 3)
        return unit_or_undeclared(c, c->m->extent_units);
    return unit_or_undeclared(c, "substance");
}

static uvec compartment_units(const sbml_ctx *c, const tc_sbml_compartment *x)
{
    if (x->units)
        return unit_or_undeclared(c, x->units);
    double dims =
        x->spatial_dimensions.set ? x->spatial_dimensions.v : (c->doc->level < 3 ? 3 : -1);
    if (c->doc->level >= 3) {
        if (dims == 3)
            return unit_or_undeclared(c, c->m->volume_units);
        if (dims == 2)
            return unit_or_undeclared(c, c->m->area_units);
        if (dims == 1)
            return unit_or_undeclared(c, c->m->length_units);
        return u_undeclared();
    }
    if (dims == 0)
        return U_NONE;
    return unit_or_undeclared(c, dims == 3 ? "volume" : dims == 2 ? "area" : "length");
}

static uvec substance_units(const sbml_ctx *c, const tc_sbml_species *s)
{
    if (s->substance_units)
        return unit_or_undeclared(c, s->substance_units);
    if (c->doc->level >= 3)
        return unit_or_undeclared(c, c->m->substance_units);
    return unit_or_undeclared(c, "substance");
}

/* Amount, or concentration (amount per compartment size), as the species' symbol means. */
static uvec species_units(const sbml_ctx *c, const tc_sbml_species *s)
{
    uvec u = substance_units(c, s);
    if (s->has_only_substance_units == 1)
        return u;
    const tc_sbml_compartment *x = sbml_compartment(c, s->compartment);
    if (!x)
        return u_undeclared();
    if (x->spatial_dimensions.set && x->spatial_dimensions.v == 0)
        return u;
    uvec size;
    if (c->doc->level < 3 && s->spatial_size_units)
        size = unit_or_undeclared(c, s->spatial_size_units);
    else
        size = compartment_units(c, x);
    u_mul(&u, &size, -1);
    return u;
}

/* ---- what a unit attribute may name ---- */
typedef enum ukind { UK_SUBSTANCE, UK_TIME, UK_LENGTH, UK_AREA, UK_VOLUME } ukind;

/* Is `u` (a resolved unit) of this kind, or dimensionless? */
static bool u_is(const uvec *u, ukind k)
{
    if (u_dimensionless(u))
        return true;
    uvec x = *u;
    int dim = -1;
    double want = 1;
    switch (k) {
    case UK_SUBSTANCE:
        for (int d = D_KG; d <= D_ITEM; d++)
            if ((d == D_KG || d == D_MOLE || d == D_ITEM) && fabs(x.e[d] - 1) < 1e-9)
                dim = d;
        break;
    case UK_TIME:
        dim = D_SECOND;
        break;
    case UK_LENGTH:
        dim = D_METRE;
        break;
    case UK_AREA:
        dim = D_METRE;
        want = 2;
        break;
    case UK_VOLUME:
        dim = D_METRE;
        want = 3;
        break;
    }
    if (dim < 0)
        return false;
    for (int d = 0; d < D_COUNT; d++)
        if (fabs(x.e[d] - (d == dim ? want : 0)) > 1e-9)
            return false;
    return true;
}

static const char *const ukind_text[] = {
    "a unit of substance (mole, item, gram, kilogram, avogadro) or dimensionless",
    "a unit of time (second) or dimensionless", "a unit of length (metre) or dimensionless",
    "a unit of area (square metre) or dimensionless",
    "a unit of volume (litre, cubic metre) or dimensionless"};

/* A unit attribute: report `rule` when it names a unit that is not of kind k. A name
 * that resolves to nothing is left to the rules on unit references. */
static void unit_attr(sbml_ctx *c, const char *rule, const char *ref, ukind k,
                      const tc_sbml_base *b, const char *attr)
{
    uvec u;
    if (!ref)
        return;
    if (!unit_named(c, ref, &u)) {
        /* a name that is no unit at all is not of the kind either (beside 10313 or,
         * before Level 3, 99303, which say it names nothing) */
        const tc_sbml_unitdef *d = sbml_unitdef(c, ref);
        if (sbml_is_sid(ref) && !d && !sbml_is_base_unit(ref, c->doc->level, c->doc->version))
            sbml_report(&c->out, rule, b->line,
                        "%s=\"%s\" of <%s>%s%s%s names no unit, so it is not %s", attr, ref,
                        b->element, b->id ? " \"" : "", b->id ? b->id : "", b->id ? "\"" : "",
                        ukind_text[k]);
        /* nor is a unit definition without units (Level 3 Version 2 allows it empty) */
        else if (d && d->nunits == 0)
            sbml_report(&c->out, rule, b->line,
                        "%s=\"%s\" of <%s>%s%s%s names a unit definition without units, so it "
                        "is not %s",
                        attr, ref, b->element, b->id ? " \"" : "", b->id ? b->id : "",
                        b->id ? "\"" : "", ukind_text[k]);
        return;
    }
    if (u_is(&u, k))
        return;
    sbml_report(&c->out, rule, b->line, "%s=\"%s\" of <%s>%s%s%s should be %s", attr, ref,
                b->element, b->id ? " \"" : "", b->id ? b->id : "", b->id ? "\"" : "",
                ukind_text[k]);
}

/* Before Level 2 Version 4 a redefinition of "volume" of one unit had rules of its own:
 * litre with exponent 1 (20407), or cubic metre (20408; not in Level 1, where volume
 * is litres only: 20406). True when one of them applied. */
static bool volume_redefinition(sbml_ctx *c, const tc_sbml_unitdef *d)
{
    int l = c->doc->level, v = c->doc->version;
    if (l > 2 || (l == 2 && v >= 4) || d->nunits != 1 || !d->units[0].kind)
        return false;
    const tc_sbml_unit *u = &d->units[0];
    double exp = u->exponent.set ? u->exponent.v : 1;
    bool litre = strcmp(u->kind, "litre") == 0 || (l == 1 && strcmp(u->kind, "liter") == 0);
    bool metre = strcmp(u->kind, "metre") == 0 || (l == 1 && strcmp(u->kind, "meter") == 0);
    if (litre && exp != 1) {
        sbml_report(&c->out, "sbml:20407", d->b.line,
                    "the unit definition \"volume\" in litres must have exponent 1, not %g", exp);
        return true;
    }
    if (metre && l == 1) {
        sbml_report(&c->out, "sbml:20406", d->b.line,
                    "the unit definition \"volume\" of SBML Level 1 must be in litres, not "
                    "metres");
        return true;
    }
    if (metre && exp != 3) {
        sbml_report(&c->out, "sbml:20408", d->b.line,
                    "the unit definition \"volume\" in metres must have exponent 3, not %g", exp);
        return true;
    }
    return false;
}

/* Level 1-2 redefinitions of the predefined units (sbml:20402-20406) must simplify to
 * one unit of the right kind (or dimensionless). */
static void check_redefinitions(sbml_ctx *c)
{
    static const struct {
        const char *id, *rule;
        ukind kind;
    } redef[] = {{"substance", "sbml:20402", UK_SUBSTANCE},
                 {"length", "sbml:20403", UK_LENGTH},
                 {"area", "sbml:20404", UK_AREA},
                 {"time", "sbml:20405", UK_TIME},
                 {"volume", "sbml:20406", UK_VOLUME}};
    const tc_sbml_model *m = c->m;
    if (c->doc->level >= 3)
        return;
    for (size_t i = 0; i < m->nunitdefs; i++) {
        const tc_sbml_unitdef *d = &m->unitdefs[i];
        uvec u;
        if (d->b.id && strcmp(d->b.id, "volume") == 0 && volume_redefinition(c, d))
            continue;
        for (size_t r = 0; d->b.id && r < sizeof(redef) / sizeof(redef[0]); r++) {
            if (strcmp(redef[r].id, d->b.id) != 0)
                continue;
            /* a unit that cannot be resolved (an unknown kind, or one that is no base unit
             * of this level, such as Level 1's "liter") is not of the kind either */
            bool named = unit_named(c, d->b.id, &u);
            for (size_t j = 0; named && j < d->nunits; j++)
                named = sbml_is_base_unit(d->units[j].kind, c->doc->level, c->doc->version);
            if ((named && !u_is(&u, redef[r].kind)) || (!named && d->nunits > 0))
                sbml_report(&c->out, redef[r].rule, d->b.line,
                            "the unit definition \"%s\" redefines a predefined unit but is not %s",
                            d->b.id, ukind_text[redef[r].kind]);
        }
    }
}

static void check_unitdefs(sbml_ctx *c)
{
    const tc_sbml_model *m = c->m;
    int l = c->doc->level, v = c->doc->version;
    for (size_t i = 0; i < m->nunitdefs; i++) {
        const tc_sbml_unitdef *d = &m->unitdefs[i];
        if (d->b.id && sbml_is_base_unit(d->b.id, l, v))
            sbml_report(&c->out, "sbml:20401", d->b.line,
                        "the unit definition id \"%s\" is the name of a base unit", d->b.id);
        for (size_t j = 0; j < d->nunits; j++) {
            const tc_sbml_unit *u = &d->units[j];
            if (!u->kind)
                continue;
            if ((strcmp(u->kind, "Celsius") == 0 || strcmp(u->kind, "celsius") == 0) &&
                !(l == 1 || (l == 2 && v == 1)))
                sbml_report(&c->out, l >= 3 ? "sbml:20410" : "sbml:20412", u->b.line,
                            "the unit kind Celsius was removed after SBML Level 2 Version 1");
            else if (!sbml_is_base_unit(u->kind, l, v))
                sbml_report(&c->out, "sbml:20410", u->b.line,
                            "the unit kind \"%s\" is not a base unit of SBML", u->kind);
            if (u->offset.set && u->offset.v != 0 && l == 2 && v >= 2)
                sbml_report(&c->out, "sbml:20411", u->b.line,
                            "the unit offset was removed after SBML Level 2 Version 1");
        }
    }
    check_redefinitions(c);
}

static bool unit_resolves(const sbml_ctx *c, const char *ref)
{
    uvec u;
    return unit_named(c, ref, &u) || sbml_unitdef(c, ref) ||
           sbml_is_base_unit(ref, c->doc->level, c->doc->version);
}

/* Level 3 leaves an object's units undeclared when neither it nor the model gives
 * them; nothing that uses it can then be checked (libSBML's 99508). */
static void check_undeclared_objects(sbml_ctx *c)
{
    const tc_sbml_model *m = c->m;
    if (c->doc->level < 3)
        return;
    for (size_t i = 0; i < m->nspecies; i++) {
        const tc_sbml_species *s = &m->species[i];
        if (substance_units(c, s).undeclared)
            sbml_report(&c->out, "sbml:99508", s->b.line,
                        "the substance units of species \"%s\" are not declared (no "
                        "substanceUnits on it or on the model)",
                        s->b.id ? s->b.id : "");
        /* a concentration also needs the units of its compartment */
        else if (species_units(c, s).undeclared &&
                 (!s->compartment || !sbml_compartment(c, s->compartment)))
            sbml_report(&c->out, "sbml:99508", s->b.line,
                        "the units of species \"%s\" are not declared: it is a concentration "
                        "and names no existing compartment whose size units would divide its "
                        "amount",
                        s->b.id ? s->b.id : "");
    }
    for (size_t i = 0; i < m->ncompartments; i++) {
        const tc_sbml_compartment *x = &m->compartments[i];
        if (compartment_units(c, x).undeclared &&
            !(x->spatial_dimensions.set && x->spatial_dimensions.v == 0))
            sbml_report(&c->out, "sbml:99508", x->b.line,
                        "the units of compartment \"%s\" are not declared (no units on it, or "
                        "no default for its dimensions on the model)",
                        x->b.id ? x->b.id : "");
        if (x->units)
            continue;
        /* the specification's own rules for the same: per dimension, and without any */
        const char *id = x->b.id ? x->b.id : "";
        double d = x->spatial_dimensions.v;
        if (!x->spatial_dimensions.set)
            sbml_report(&c->out, "sbml:20518", x->b.line,
                        "compartment \"%s\" has neither units nor spatialDimensions, so the "
                        "unit of its size is undefined",
                        id);
        else if ((d == 1 && !m->length_units) || (d == 2 && !m->area_units) ||
                 (d == 3 && !m->volume_units))
            sbml_report(&c->out, d == 1 ? "sbml:20511" : d == 2 ? "sbml:20512" : "sbml:20513",
                        x->b.line,
                        "compartment \"%s\" has no units and the model no %s, so the unit of "
                        "its size is undefined",
                        id, d == 1 ? "lengthUnits" : d == 2 ? "areaUnits" : "volumeUnits");
    }
}

/* A unit definition without units declares nothing: what names it has no units. */
static void empty_unitdef_ref(sbml_ctx *c, const char *ref, const tc_sbml_base *b,
                              const char *what)
{
    const tc_sbml_unitdef *d = ref ? sbml_unitdef(c, ref) : NULL;
    if (d && d->nunits == 0)
        sbml_report(&c->out, "sbml:99508", b->line,
                    "the units of %s \"%s\" are not declared: the unit definition \"%s\" has no "
                    "units",
                    what, b->id ? b->id : "", ref);
}

static void check_empty_unitdef_refs(sbml_ctx *c)
{
    const tc_sbml_model *m = c->m;
    if (c->doc->level < 3)
        return;
    for (size_t i = 0; i < m->nparameters; i++) {
        const tc_sbml_parameter *p = &m->parameters[i];
        empty_unitdef_ref(c, p->units, &p->b, "parameter");
        /* (compartments and species with such units are reported with their defaults) */
        if (p->units && !unit_resolves(c, p->units))
            sbml_report(&c->out, "sbml:99508", p->b.line,
                        "the units of parameter \"%s\" are not declared: \"%s\" names no unit",
                        p->b.id ? p->b.id : "", p->units);
    }
    for (size_t i = 0; i < m->ncompartments; i++)
        empty_unitdef_ref(c, m->compartments[i].units, &m->compartments[i].b, "compartment");
    for (size_t i = 0; i < m->nspecies; i++)
        if (m->species[i].substance_units)
            empty_unitdef_ref(c, m->species[i].substance_units, &m->species[i].b, "species");
}

static bool declared(const sbml_ctx *c, const char *ref)
{
    const tc_sbml_unitdef *d = ref ? sbml_unitdef(c, ref) : NULL;
    return ref && (!d || d->nunits > 0);
}

/* Level 3: rates (rate rules, kinetic laws, event delays) need the model's time units,
 * kinetic laws its extent units; without them their units cannot be checked (libSBML's
 * 99506 and 99507). */
static void check_time_and_extent(sbml_ctx *c)
{
    const tc_sbml_model *m = c->m;
    if (c->doc->level < 3)
        return;
    bool rates = false, laws = false;
    for (size_t i = 0; i < m->nrules; i++)
        rates = rates || m->rules[i].kind == TC_SBML_RATE;
    for (size_t i = 0; i < m->nreactions; i++)
        laws = laws || m->reactions[i].kinetic_law != NULL;
    for (size_t i = 0; i < m->nevents; i++)
        rates = rates || m->events[i].delay != NULL;
    if ((rates || laws) && !declared(c, m->time_units))
        sbml_report(&c->out, "sbml:99506", m->b.line,
                    "the model's time units are not declared (timeUnits), so the units of its "
                    "rates and delays cannot be checked");
    if (laws && !declared(c, m->extent_units))
        sbml_report(&c->out, "sbml:99507", m->b.line,
                    "the model's extent units are not declared (extentUnits), so the units of "
                    "its kinetic laws cannot be checked");
}

static void check_unit_attributes(sbml_ctx *c)
{
    check_empty_unitdef_refs(c);
    check_time_and_extent(c);
    check_undeclared_objects(c);
    const tc_sbml_model *m = c->m;
    int l = c->doc->level;
    check_unitdefs(c);
    if (l >= 3) {
        unit_attr(c, "sbml:20233", m->substance_units, UK_SUBSTANCE, &m->b, "substanceUnits");
        unit_attr(c, "sbml:20217", m->time_units, UK_TIME, &m->b, "timeUnits");
        unit_attr(c, "sbml:20218", m->volume_units, UK_VOLUME, &m->b, "volumeUnits");
        unit_attr(c, "sbml:20219", m->area_units, UK_AREA, &m->b, "areaUnits");
        unit_attr(c, "sbml:20220", m->length_units, UK_LENGTH, &m->b, "lengthUnits");
        unit_attr(c, "sbml:20221", m->extent_units, UK_SUBSTANCE, &m->b, "extentUnits");
    }
    for (size_t i = 0; i < m->ncompartments; i++) {
        const tc_sbml_compartment *x = &m->compartments[i];
        double dims = x->spatial_dimensions.set ? x->spatial_dimensions.v : (l < 3 ? 3 : -1);
        if (!x->units)
            continue;
        if (l < 3 && !unit_resolves(c, x->units))
            continue;
        if (dims == 1)
            unit_attr(c, "sbml:20507", x->units, UK_LENGTH, &x->b, "units");
        else if (dims == 2)
            unit_attr(c, "sbml:20508", x->units, UK_AREA, &x->b, "units");
        else if (dims == 3)
            unit_attr(c, "sbml:20509", x->units, UK_VOLUME, &x->b, "units");
    }
    for (size_t i = 0; i < m->nspecies; i++) {
        const tc_sbml_species *s = &m->species[i];
        /* (unit_attr also says it when the name is no unit at all) */
        unit_attr(c, "sbml:20608", s->substance_units, UK_SUBSTANCE, &s->b, "substanceUnits");
        const tc_sbml_compartment *x = sbml_compartment(c, s->compartment);
        if (l == 2 && s->spatial_size_units && x) {
            double dims = x->spatial_dimensions.set ? x->spatial_dimensions.v : 3;
            if (dims == 1)
                unit_attr(c, "sbml:20605", s->spatial_size_units, UK_LENGTH, &s->b,
                          "spatialSizeUnits");
            else if (dims == 2)
                unit_attr(c, "sbml:20606", s->spatial_size_units, UK_AREA, &s->b,
                          "spatialSizeUnits");
            else if (dims == 3)
                unit_attr(c, "sbml:20607", s->spatial_size_units, UK_VOLUME, &s->b,
                          "spatialSizeUnits");
        }
    }
    /* Level 3 Version 1 keeps this rule; Version 2 replaced it with 10313 */
    if (l < 3 || (l == 3 && c->doc->version == 1))
        for (size_t i = 0; i < m->nparameters; i++) {
            const tc_sbml_parameter *p = &m->parameters[i];
            if (p->units && !unit_resolves(c, p->units))
                sbml_report(&c->out, "sbml:20701", p->b.line,
                            "units=\"%s\" of parameter \"%s\" names no unit definition, "
                            "predefined or base unit",
                            p->units, p->b.id ? p->b.id : "");
        }
    for (size_t i = 0; i < m->nreactions; i++) {
        const tc_sbml_kinetic_law *k = m->reactions[i].kinetic_law;
        if (!k || l > 2)
            continue;
        unit_attr(c, "sbml:99127", k->substance_units, UK_SUBSTANCE, &k->b, "substanceUnits");
        unit_attr(c, "sbml:99128", k->time_units, UK_TIME, &k->b, "timeUnits");
    }
    for (size_t i = 0; i < m->nevents; i++) {
        const tc_sbml_event *e = &m->events[i];
        if (l == 2 && e->time_units)
            unit_attr(c, "sbml:21204", e->time_units, UK_TIME, &e->b, "timeUnits");
    }
}

/* ---- units of expressions ---- */
/* The units a function's body gives for given argument units, kept while one expression
 * is checked: a body is worked out once per set of argument units, so functions that call
 * others several times cost time in proportion to the functions, not to the calls they
 * expand to (which can be exponential). */
typedef struct ucall {
    const tc_sbml_function *f;
    uvec *args;
    size_t nargs;
    uvec result;
} ucall;

typedef struct ucalls {
    ucall *items;
    size_t len, cap;
    bool too_deep; /* the math, with the bodies it calls, nests deeper than below */
} ucalls;

#define UCALLS_MAX 4096
/* Nesting of an expression with the function bodies it calls, as far as units are worked
 * out (each level takes about 1.6 KiB of stack). */
#define UNITS_DEPTH_MAX 1000

typedef struct uctx {
    sbml_ctx *c;
    const tc_sbml_kinetic_law *law;
    const tc_expr *lambda; /* bound variables map to bvals */
    const uvec *bvals;
    long line;
    const char *where;
    bool reported;
    bool in_function; /* inside a function body: reported where it is called */
    int depth;
    ucalls *calls; /* shared by the whole expression; NULL: none kept */
} uctx;

static bool u_same(const uvec *a, const uvec *b)
{
    for (int i = 0; i < D_COUNT; i++)
        if (a->e[i] != b->e[i])
            return false;
    return a->log10f == b->log10f && a->undeclared == b->undeclared;
}

static const ucall *ucall_find(const ucalls *k, const tc_sbml_function *f, const uvec *args,
                               size_t n)
{
    for (size_t i = 0; k && i < k->len; i++) {
        const ucall *x = &k->items[i];
        if (x->f != f || x->nargs != n)
            continue;
        size_t j = 0;
        while (j < n && u_same(&x->args[j], &args[j]))
            j++;
        if (j == n)
            return x;
    }
    return NULL;
}

static void ucalls_free(ucalls *k)
{
    for (size_t i = 0; i < k->len; i++)
        free(k->items[i].args);
    free(k->items);
}

/* `fmt` says what is wrong, with the units found (and expected) written out. */
static void inconsistent(uctx *u, const tc_expr *e, const char *fmt, ...) TC_PRINTF(3, 4);
static void inconsistent(uctx *u, const tc_expr *e, const char *fmt, ...)
{
    if (u->reported)
        return;
    u->reported = true;
    char what[2 * SBML_UNIT_TEXT_MAX + 128];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof(what), fmt, ap);
    va_end(ap);
    sbml_report(&u->c->out, "sbml:10501", e->line > 0 ? e->line : u->line,
                "the units in %s are inconsistent: %s", u->where, what);
}

static uvec expr_units(uctx *u, const tc_expr *e);

static uvec symbol_units(uctx *u, const char *name)
{
    sbml_ctx *c = u->c;
    if (!name)
        return u_undeclared();
    if (u->lambda)
        for (size_t i = 0; i + 1 < u->lambda->nargs; i++)
            if (u->lambda->args[i]->name && strcmp(u->lambda->args[i]->name, name) == 0)
                return u->bvals ? u->bvals[i] : u_undeclared();
    for (size_t i = 0; u->law && i < u->law->nparameters; i++)
        if (u->law->parameters[i].b.id && strcmp(u->law->parameters[i].b.id, name) == 0)
            return unit_or_undeclared(c, u->law->parameters[i].units);
    const sbml_sym *s = sbml_syms_find(&c->syms, name);
    if (!s)
        return u_undeclared();
    switch (s->kind) {
    case SBML_COMPARTMENT:
        return compartment_units(c, s->obj);
    case SBML_SPECIES:
        return species_units(c, s->obj);
    case SBML_PARAMETER:
        return unit_or_undeclared(c, ((const tc_sbml_parameter *)s->obj)->units);
    case SBML_SPECIESREF:
        return U_NONE;
    case SBML_REACTION: {
        uvec x = extent_units(c), t = time_units(c);
        u_mul(&x, &t, -1);
        return x;
    }
    default:
        return u_undeclared();
    }
}

/* All arguments must agree; the result is the first declared one. */
static uvec same_units(uctx *u, const tc_expr *e, size_t from, size_t step, const char *op)
{
    uvec first = u_undeclared();
    bool have = false;
    for (size_t i = from; i < e->nargs; i += step) {
        uvec a = expr_units(u, e->args[i]);
        if (a.undeclared)
            continue;
        if (!have) {
            first = a;
            have = true;
        } else if (!u_equal(&first, &a)) {
            char t1[SBML_UNIT_TEXT_MAX], t2[SBML_UNIT_TEXT_MAX];
            inconsistent(u, e,
                         "the arguments of <%s> must have the same units: one has %s, "
                         "another %s",
                         op, u_text(t1, &first), u_text(t2, &a));
        }
    }
    return first;
}

/* The value of a parameter that keeps the value it declares: constant, and set by no
 * initial assignment (a constant one can have no rule or event either). Kinetic law
 * parameters are constant always. */
static bool fixed_parameter(const uctx *u, const char *name, double *v)
{
    const sbml_ctx *c = u->c;
    for (size_t i = 0; u->law && i < u->law->nparameters; i++)
        if (u->law->parameters[i].b.id && strcmp(u->law->parameters[i].b.id, name) == 0) {
            *v = u->law->parameters[i].value.v;
            return u->law->parameters[i].value.set;
        }
    const sbml_sym *s = sbml_syms_find(&c->syms, name);
    if (!s || s->kind != SBML_PARAMETER)
        return false;
    const tc_sbml_parameter *p = s->obj;
    bool constant = p->constant == 1 || (p->constant < 0 && c->doc->level == 2);
    const size_t *ia;
    if (!constant || !p->value.set || sbml_multi_get(&c->ix.initial, name, &ia))
        return false;
    *v = p->value.v;
    return true;
}

/* The value of an expression of numbers and fixed parameters, when it has one. */
static bool constant_value_at(const uctx *u, const tc_expr *e, double *v, int depth)
{
    if (!e || depth > 200)
        return false;
    if (e->op == TC_EXPR_NUMBER) {
        *v = e->value;
        return true;
    }
    if (e->op == TC_EXPR_SYMBOL && e->name) {
        /* a function's bound variable has no value of its own */
        for (size_t i = 0; u->lambda && i + 1 < u->lambda->nargs; i++)
            if (u->lambda->args[i]->name && strcmp(u->lambda->args[i]->name, e->name) == 0)
                return false;
        return fixed_parameter(u, e->name, v);
    }
    if (e->op == TC_EXPR_MINUS && e->nargs == 1 && constant_value_at(u, e->args[0], v, depth + 1)) {
        *v = -*v;
        return true;
    }
    double a, b;
    if ((e->op == TC_EXPR_DIVIDE || e->op == TC_EXPR_MINUS) && e->nargs == 2 &&
        constant_value_at(u, e->args[0], &a, depth + 1) &&
        constant_value_at(u, e->args[1], &b, depth + 1)) {
        if (e->op == TC_EXPR_MINUS)
            *v = a - b;
        else if (b != 0)
            *v = a / b;
        return e->op == TC_EXPR_MINUS || b != 0;
    }
    if ((e->op == TC_EXPR_PLUS || e->op == TC_EXPR_TIMES) && e->nargs > 0) {
        *v = e->op == TC_EXPR_PLUS ? 0 : 1;
        for (size_t i = 0; i < e->nargs; i++) {
            if (!constant_value_at(u, e->args[i], &a, depth + 1))
                return false;
            *v = e->op == TC_EXPR_PLUS ? *v + a : *v * a;
        }
        return isfinite(*v);
    }
    return false;
}

static bool constant_value(const uctx *u, const tc_expr *e, double *v)
{
    return constant_value_at(u, e, v, 0);
}

static uvec dimensionless_args(uctx *u, const tc_expr *e)
{
    for (size_t i = 0; i < e->nargs; i++) {
        uvec a = expr_units(u, e->args[i]);
        if (!a.undeclared && !u_dimensionless(&a)) {
            char t[SBML_UNIT_TEXT_MAX];
            inconsistent(u, e, "the argument of <%s> must be dimensionless, but it has %s",
                         tc_expr_op_name(e->op), u_text(t, &a));
            /* libSBML also names this under its own id for functions of one argument */
            if (!u->in_function)
                sbml_report(&u->c->out, "sbml:99502", e->line > 0 ? e->line : u->line,
                            "in %s, the argument of <%s> has units (%s); it should be "
                            "dimensionless",
                            u->where, tc_expr_op_name(e->op), t);
        }
    }
    return U_NONE;
}

static uvec expr_units(uctx *u, const tc_expr *e)
{
    if (!e)
        return u_undeclared();
    if (u->depth > UNITS_DEPTH_MAX) {
        if (u->calls)
            u->calls->too_deep = true;
        return u_undeclared();
    }
    u->depth++;
    uvec r = U_NONE;
    sbml_ctx *c = u->c;
    switch (e->op) {
    case TC_EXPR_NUMBER:
        r = e->units ? unit_or_undeclared(c, e->units) : u_undeclared();
        break;
    case TC_EXPR_SYMBOL:
        r = symbol_units(u, e->name);
        break;
    case TC_EXPR_TIME:
        r = time_units(c);
        break;
    case TC_EXPR_AVOGADRO:
        base_unit("mole", &r);
        r.e[D_MOLE] = -1;
        r.log10f = 0;
        break;
    case TC_EXPR_DELAY:
        r = e->nargs ? expr_units(u, e->args[0]) : u_undeclared();
        if (e->nargs == 2) {
            uvec d = expr_units(u, e->args[1]), t = time_units(c);
            char t1[SBML_UNIT_TEXT_MAX], t2[SBML_UNIT_TEXT_MAX];
            if (!d.undeclared && !t.undeclared && !u_equal(&d, &t))
                inconsistent(u, e,
                             "the delay of the delay csymbol must be in units of time (%s), but "
                             "it has %s",
                             u_text(t1, &t), u_text(t2, &d));
        }
        break;
    case TC_EXPR_RATE_OF: {
        r = e->nargs ? expr_units(u, e->args[0]) : u_undeclared();
        uvec t = time_units(c);
        u_mul(&r, &t, -1);
        break;
    }
    case TC_EXPR_TRUE:
    case TC_EXPR_FALSE:
    case TC_EXPR_PI:
    case TC_EXPR_EXPONENTIALE:
        r = U_NONE;
        break;
    case TC_EXPR_INFINITY_:
    case TC_EXPR_NOTANUMBER:
        r = u_undeclared();
        break;
    case TC_EXPR_PLUS:
    case TC_EXPR_MINUS:
    case TC_EXPR_MIN:
    case TC_EXPR_MAX:
        r = same_units(u, e, 0, 1, tc_expr_op_name(e->op));
        if (e->nargs == 0)
            r = u_undeclared();
        break;
    case TC_EXPR_EQ:
    case TC_EXPR_NEQ:
    case TC_EXPR_GT:
    case TC_EXPR_LT:
    case TC_EXPR_GEQ:
    case TC_EXPR_LEQ:
        same_units(u, e, 0, 1, tc_expr_op_name(e->op));
        r = U_NONE;
        break;
    case TC_EXPR_AND:
    case TC_EXPR_OR:
    case TC_EXPR_XOR:
    case TC_EXPR_NOT:
    case TC_EXPR_IMPLIES:
        for (size_t i = 0; i < e->nargs; i++)
            expr_units(u, e->args[i]);
        r = U_NONE;
        break;
    case TC_EXPR_TIMES:
        for (size_t i = 0; i < e->nargs; i++) {
            uvec a = expr_units(u, e->args[i]);
            u_mul(&r, &a, 1);
        }
        break;
    case TC_EXPR_DIVIDE:
        if (e->nargs == 2) {
            r = expr_units(u, e->args[0]);
            uvec b = expr_units(u, e->args[1]);
            u_mul(&r, &b, -1);
        } else {
            r = u_undeclared();
        }
        break;
    case TC_EXPR_POWER:
        if (e->nargs == 2) {
            uvec b = expr_units(u, e->args[0]);
            uvec x = expr_units(u, e->args[1]);
            double p;
            char t[SBML_UNIT_TEXT_MAX];
            if (!x.undeclared && !u_dimensionless(&x)) {
                inconsistent(u, e, "the exponent of <power> must be dimensionless, but it has %s",
                             u_text(t, &x));
                if (!u->in_function)
                    sbml_report(&c->out, "sbml:99503", e->line > 0 ? e->line : u->line,
                                "in %s, the exponent of a <power> has units (%s) where it "
                                "must be dimensionless; the units of the result cannot be "
                                "checked",
                                u->where, u_text(t, &x));
            }
            bool integral = constant_value(u, e->args[1], &p) && p == floor(p);
            if (!b.undeclared && !u_dimensionless(&b) && !integral)
                inconsistent(u, e,
                             "a quantity with units (%s) is raised to a power that is not a "
                             "whole number",
                             u_text(t, &b));
            if (!b.undeclared && !u_dimensionless(&b) && !integral && !u->in_function) {
                /* the exponent's value when the model fixes it, else that it is unknown */
                char pw[64];
                if (constant_value(u, e->args[1], &p))
                    snprintf(pw, sizeof(pw), "the power %g, not a whole number", p);
                else
                    snprintf(pw, sizeof(pw), "a power that is not a constant whole number");
                sbml_report(&c->out, "sbml:99503", e->line > 0 ? e->line : u->line,
                            "in %s, a quantity in %s is raised to %s; the units of the result "
                            "cannot be checked",
                            u->where, u_text(t, &b), pw);
            }
            if (constant_value(u, e->args[1], &p)) {
                r = U_NONE;
                u_mul(&r, &b, p);
            } else if (!b.undeclared && u_dimensionless(&b)) {
                r = U_NONE;
            } else {
                r = u_undeclared();
            }
        } else {
            r = u_undeclared();
        }
        break;
    case TC_EXPR_ROOT:
        if (e->nargs == 2) {
            uvec b = expr_units(u, e->args[1]);
            double d;
            bool integral = constant_value(u, e->args[0], &d) && d == floor(d);
            uvec deg = expr_units(u, e->args[0]);
            char t[SBML_UNIT_TEXT_MAX];
            if (!deg.undeclared && !u_dimensionless(&deg))
                inconsistent(u, e, "the degree of <root> must be dimensionless, but it has %s",
                             u_text(t, &deg));
            if (!integral && !u->in_function) {
                char dg[64], q[SBML_UNIT_TEXT_MAX + 32];
                if (constant_value(u, e->args[0], &d))
                    snprintf(dg, sizeof(dg), "degree %g, not a whole number", d);
                else
                    snprintf(dg, sizeof(dg), "a degree that is not a constant whole number");
                if (b.undeclared)
                    snprintf(q, sizeof(q), "a quantity whose units are not all declared");
                else if (u_dimensionless(&b))
                    snprintf(q, sizeof(q), "a dimensionless quantity");
                else
                    snprintf(q, sizeof(q), "a quantity in %s", u_text(t, &b));
                sbml_report(&c->out, "sbml:99504", e->line > 0 ? e->line : u->line,
                            "in %s, a <root> of %s has %s; the units of the result cannot be "
                            "checked",
                            u->where, q, dg);
            }
            if (constant_value(u, e->args[0], &d) && d != 0) {
                r = U_NONE;
                u_mul(&r, &b, 1.0 / d);
            } else {
                r = u_undeclared();
            }
        } else {
            r = u_undeclared();
        }
        break;
    case TC_EXPR_ABS:
    case TC_EXPR_FLOOR:
    case TC_EXPR_CEILING:
        r = e->nargs ? expr_units(u, e->args[0]) : u_undeclared();
        break;
    case TC_EXPR_QUOTIENT:
    case TC_EXPR_REM:
        r = e->nargs ? expr_units(u, e->args[0]) : u_undeclared();
        for (size_t i = 1; i < e->nargs; i++)
            expr_units(u, e->args[i]);
        break;
    case TC_EXPR_LOG:
        /* the base is a plain number */
        if (e->nargs == 2) {
            uvec a = expr_units(u, e->args[1]);
            char t[SBML_UNIT_TEXT_MAX];
            if (!a.undeclared && !u_dimensionless(&a))
                inconsistent(u, e, "the argument of <log> must be dimensionless, but it has %s",
                             u_text(t, &a));
        }
        r = U_NONE;
        break;
    case TC_EXPR_PIECEWISE: {
        uvec first = u_undeclared();
        bool have = false;
        for (size_t i = 0; i < e->nargs; i++) {
            bool cond = (i % 2 == 1) && !(e->has_otherwise && i == e->nargs - 1);
            uvec a = expr_units(u, e->args[i]);
            if (cond || a.undeclared)
                continue;
            if (!have) {
                first = a;
                have = true;
            } else if (!u_equal(&first, &a)) {
                char t1[SBML_UNIT_TEXT_MAX], t2[SBML_UNIT_TEXT_MAX];
                inconsistent(u, e,
                             "the pieces of <piecewise> must have the same units: one has %s, "
                             "another %s",
                             u_text(t1, &first), u_text(t2, &a));
            }
        }
        r = first;
        break;
    }
    case TC_EXPR_CALL: {
        const tc_sbml_function *f = sbml_function(c, e->name);
        const tc_expr *l = f ? f->math.expr : NULL;
        if (!l || l->op != TC_EXPR_LAMBDA || l->nargs - 1 != e->nargs) {
            r = u_undeclared();
            break;
        }
        uvec *vals = tc_xcalloc(e->nargs ? e->nargs : 1, sizeof(*vals));
        for (size_t i = 0; i < e->nargs; i++)
            vals[i] = expr_units(u, e->args[i]);
        const ucall *known = ucall_find(u->calls, f, vals, e->nargs);
        if (known) {
            r = known->result;
            free(vals);
            break;
        }
        uctx inner = *u;
        inner.lambda = l;
        inner.bvals = vals;
        inner.law = NULL;
        inner.in_function = true;
        r = expr_units(&inner, l->args[l->nargs - 1]);
        u->reported = inner.reported;
        if (u->calls && u->calls->len < UCALLS_MAX) {
            TC_GROW(u->calls->items, u->calls->cap, u->calls->len + 1);
            u->calls->items[u->calls->len++] =
                (ucall){.f = f, .args = vals, .nargs = e->nargs, .result = r};
        } else {
            free(vals);
        }
        break;
    }
    case TC_EXPR_LAMBDA:
        r = u_undeclared();
        break;
    default: /* exp, ln, trigonometric and hyperbolic functions, factorial */
        r = dimensionless_args(u, e);
        break;
    }
    u->depth--;
    return r;
}

/* ---- the rules ---- */
/* Does the expression use a parameter or a number without units, or a function
 * without math? Those are what make a unit check incomplete. A parameter whose units
 * name an empty unit definition (or nothing) has no units either. */
static bool has_undeclared_leaf(const sbml_ctx *c, const tc_sbml_kinetic_law *law, const tc_expr *e,
                                int depth)
{
    if (!e || depth > 200)
        return false;
    if (e->op == TC_EXPR_NUMBER)
        return !e->units;
    if (e->op == TC_EXPR_SYMBOL && e->name) {
        for (size_t i = 0; law && i < law->nparameters; i++)
            if (law->parameters[i].b.id && strcmp(law->parameters[i].b.id, e->name) == 0)
                return unit_or_undeclared(c, law->parameters[i].units).undeclared;
        const tc_sbml_parameter *p = sbml_parameter(c, e->name);
        return p && unit_or_undeclared(c, p->units).undeclared;
    }
    if (e->op == TC_EXPR_CALL) {
        const tc_sbml_function *f = sbml_function(c, e->name);
        if (f && (!f->math.expr || f->math.expr->op != TC_EXPR_LAMBDA))
            return true;
    }
    for (size_t i = 0; i < e->nargs; i++)
        if (has_undeclared_leaf(c, law, e->args[i], depth + 1))
            return true;
    return false;
}

static uvec math_units(sbml_ctx *c, const tc_sbml_math *m, const tc_sbml_kinetic_law *law,
                       const void *node)
{
    char where[SBML_DESCRIBE_MAX];
    sbml_describe(where, sizeof(where), node);
    ucalls calls = {0};
    uctx u = {.c = c, .law = law, .line = m->line, .where = where, .calls = &calls};
    uvec r = expr_units(&u, m->expr);
    bool too_deep = calls.too_deep;
    ucalls_free(&calls);
    if (too_deep)
        sbml_report(&c->out, "sbml:99505", m->line,
                    "the units of %s cannot be fully checked: with the function bodies it calls, "
                    "its math nests more than %d deep",
                    where, UNITS_DEPTH_MAX);
    else if (m->expr && has_undeclared_leaf(c, law, m->expr, 0))
        sbml_report(&c->out, "sbml:99505", m->line,
                    "the units of %s cannot be fully checked: it uses numbers or parameters "
                    "whose units are not declared, or a function without math",
                    where);
    return r;
}

typedef enum target_kind { TK_COMPARTMENT, TK_SPECIES, TK_PARAMETER, TK_SREF, TK_NONE } target_kind;

/* The units of a variable a rule, assignment or event sets. */
static target_kind variable_units(sbml_ctx *c, const char *id, uvec *out, bool for_species_amount)
{
    const sbml_sym *s = sbml_syms_find(&c->syms, id);
    if (!s)
        return TK_NONE;
    switch (s->kind) {
    case SBML_COMPARTMENT:
        *out = compartment_units(c, s->obj);
        return TK_COMPARTMENT;
    case SBML_SPECIES:
        *out = species_units(c, s->obj);
        (void)for_species_amount;
        return TK_SPECIES;
    case SBML_PARAMETER:
        *out = unit_or_undeclared(c, ((const tc_sbml_parameter *)s->obj)->units);
        return TK_PARAMETER;
    case SBML_SPECIESREF:
        *out = U_NONE;
        return TK_SREF;
    default:
        return TK_NONE;
    }
}

static void compare(sbml_ctx *c, const char *rules[4], const char *var, const tc_sbml_math *m,
                    const tc_sbml_kinetic_law *law, bool per_time, const void *node, long line)
{
    static const char *const kinds[] = {"compartment", "species", "parameter", "species reference",
                                        "variable"};
    if (!var || !m->expr)
        return;
    uvec want;
    target_kind k = variable_units(c, var, &want, false);
    uvec have = math_units(c, m, law, node);
    if (k == TK_NONE || !rules[k] || want.undeclared || have.undeclared)
        return;
    if (per_time) {
        uvec t = time_units(c);
        if (t.undeclared)
            return;
        u_mul(&want, &t, -1);
    }
    if (!u_equal(&want, &have)) {
        char what[SBML_DESCRIBE_MAX], tw[SBML_UNIT_TEXT_MAX], th[SBML_UNIT_TEXT_MAX];
        sbml_report(&c->out, rules[k], line,
                    "the math of %s must have the units of %s \"%s\"%s: the math gives %s, "
                    "\"%s\"%s %s",
                    sbml_describe(what, sizeof(what), node), kinds[k], var,
                    per_time ? " per unit of time" : "", u_text(th, &have), var,
                    per_time ? " per unit of time is" : " has", u_text(tw, &want));
    }
}

/* Level 3 Version 2 lets math be absent; then nothing about its units is known. Level 2
 * requires the math of these elements (L2V4 section 4.11 for rules), yet the SBML
 * validation suite's Level 2 pass files and libSBML accept it missing: it is reported,
 * as a warning, rather than passed over in silence. */
static void no_math(sbml_ctx *c, const tc_sbml_base *b, const tc_sbml_math *m)
{
    if (m->expr || c->doc->level < 2)
        return;
    bool required = c->doc->level == 2;
    char what[SBML_DESCRIBE_MAX];
    sbml_report(&c->out, "sbml:99509", b->line,
                "%s has no <math>%s, so its units cannot be checked",
                sbml_describe(what, sizeof(what), b->node),
                required ? ", which SBML Level 2 requires; it defines nothing" : "");
}

/* The <stoichiometryMath> element of a species reference (what its math belongs to). */
static const void *stoichiometry_node(const tc_sbml_speciesref *s)
{
    for (const xmlNode *x = s->b.node ? ((const xmlNode *)s->b.node)->children : NULL; x;
         x = x->next)
        if (x->type == XML_ELEMENT_NODE && strcmp((const char *)x->name, "stoichiometryMath") == 0)
            return x;
    return s->b.node;
}

/* Level 3: a reaction changes a species by extent times its conversion factor, so that
 * product must have the species' substance units (sbml:10542). */
static void check_conversion_factors(sbml_ctx *c)
{
    const tc_sbml_model *m = c->m;
    if (c->doc->level < 3)
        return;
    uvec extent = extent_units(c);
    if (extent.undeclared)
        return;
    for (size_t i = 0; i < m->nspecies; i++) {
        const tc_sbml_species *s = &m->species[i];
        if (!s->b.id || !sbml_is_participant(c, s->b.id))
            continue;
        const char *cf = s->conversion_factor ? s->conversion_factor : m->conversion_factor;
        uvec want = extent, have = substance_units(c, s), f = U_NONE;
        if (cf) {
            const tc_sbml_parameter *p = sbml_parameter(c, cf);
            f = p ? unit_or_undeclared(c, p->units) : u_undeclared();
        }
        u_mul(&want, &f, 1);
        if (want.undeclared || have.undeclared || u_equal(&want, &have))
            continue;
        char tw[SBML_UNIT_TEXT_MAX], th[SBML_UNIT_TEXT_MAX];
        if (cf)
            sbml_report(&c->out, "sbml:10542", s->b.line,
                        "species \"%s\" is changed by reactions in extent units times its "
                        "conversion factor \"%s\", which are not its substance units: they "
                        "give %s, its substance units are %s",
                        s->b.id, cf, u_text(tw, &want), u_text(th, &have));
        else
            sbml_report(&c->out, "sbml:10542", s->b.line,
                        "species \"%s\" is changed by reactions in extent units, which are not "
                        "its substance units, and it has no conversion factor: the extent "
                        "units are %s, its substance units %s",
                        s->b.id, u_text(tw, &want), u_text(th, &have));
    }
}

void sbml_check_units(sbml_ctx *c)
{
    const tc_sbml_model *m = c->m;
    static const char *assign[4] = {"sbml:10511", "sbml:10512", "sbml:10513", "sbml:10514"};
    static const char *initial[4] = {"sbml:10521", "sbml:10522", "sbml:10523", "sbml:10524"};
    static const char *rate[4] = {"sbml:10531", "sbml:10532", "sbml:10533", "sbml:10534"};
    static const char *event[4] = {"sbml:10561", "sbml:10562", "sbml:10563", "sbml:10564"};
    check_unit_attributes(c);
    check_conversion_factors(c);
    for (size_t i = 0; i < m->nfunctions; i++) {
        const tc_sbml_function *f = &m->functions[i];
        const tc_expr *l = f->math.expr;
        no_math(c, &f->b, &f->math); /* (what calls it has no units then either) */
        if (!l || l->op != TC_EXPR_LAMBDA)
            continue;
        char where[SBML_DESCRIBE_MAX];
        ucalls calls = {0};
        uctx u = {.c = c,
                  .lambda = l,
                  .line = f->math.line,
                  .where = sbml_describe(where, sizeof(where), f->b.node),
                  .calls = &calls};
        expr_units(&u, l->args[l->nargs - 1]);
        ucalls_free(&calls);
    }
    for (size_t i = 0; i < m->nrules; i++) {
        const tc_sbml_rule *r = &m->rules[i];
        no_math(c, &r->b, &r->math);
        if (r->kind == TC_SBML_ALGEBRAIC)
            math_units(c, &r->math, NULL, r->b.node);
        else
            compare(c, r->kind == TC_SBML_RATE ? rate : assign, r->variable, &r->math, NULL,
                    r->kind == TC_SBML_RATE, r->b.node, r->b.line);
    }
    for (size_t i = 0; i < m->ninitial_assignments; i++) {
        const tc_sbml_initial_assignment *a = &m->initial_assignments[i];
        no_math(c, &a->b, &a->math);
        compare(c, initial, a->symbol, &a->math, NULL, false, a->b.node, a->b.line);
    }
    for (size_t i = 0; i < m->nconstraints; i++) {
        no_math(c, &m->constraints[i].b, &m->constraints[i].math);
        math_units(c, &m->constraints[i].math, NULL, m->constraints[i].b.node);
    }
    bool have_first = false;
    uvec first_law = U_NONE;
    const char *first_reaction = NULL;
    for (size_t i = 0; i < m->nreactions; i++) {
        const tc_sbml_reaction *r = &m->reactions[i];
        for (size_t j = 0; j < r->nreactants + r->nproducts; j++) {
            const tc_sbml_speciesref *s =
                j < r->nreactants ? &r->reactants[j] : &r->products[j - r->nreactants];
            if (s->stoichiometry_math.expr)
                math_units(c, &s->stoichiometry_math, NULL, stoichiometry_node(s));
        }
        const tc_sbml_kinetic_law *k = r->kinetic_law;
        if (k)
            no_math(c, &k->b, &k->math);
        if (!k || !k->math.expr)
            continue;
        uvec have = math_units(c, &k->math, k, k->b.node);
        if (have.undeclared)
            continue;
        uvec want = extent_units(c), t = time_units(c);
        if (c->doc->level < 3) {
            if (k->substance_units)
                want = unit_or_undeclared(c, k->substance_units);
            if (k->time_units)
                t = unit_or_undeclared(c, k->time_units);
        }
        u_mul(&want, &t, -1);
        char tw[SBML_UNIT_TEXT_MAX], th[SBML_UNIT_TEXT_MAX];
        if (!want.undeclared && !u_equal(&want, &have))
            sbml_report(&c->out, "sbml:10541", k->math.line,
                        "the units of the kinetic law of reaction \"%s\" are not units of "
                        "extent per unit of time: the math gives %s, extent per time is %s",
                        r->b.id ? r->b.id : "", u_text(th, &have), u_text(tw, &want));
        if (!have_first) {
            first_law = have;
            first_reaction = r->b.id ? r->b.id : "";
            have_first = true;
        } else if (!u_equal(&first_law, &have)) {
            sbml_report(&c->out, "sbml:10503", k->math.line,
                        "the kinetic law of reaction \"%s\" has units different from the "
                        "other kinetic laws: it gives %s, that of reaction \"%s\" gives %s",
                        r->b.id ? r->b.id : "", u_text(th, &have), first_reaction,
                        u_text(tw, &first_law));
        }
    }
    for (size_t i = 0; i < m->nevents; i++) {
        const tc_sbml_event *e = &m->events[i];
        if (e->trigger) {
            no_math(c, &e->trigger->b, &e->trigger->math);
            math_units(c, &e->trigger->math, NULL, e->trigger->b.node);
        }
        if (e->delay)
            no_math(c, &e->delay->b, &e->delay->math);
        if (e->priority)
            no_math(c, &e->priority->b, &e->priority->math);
        if (e->delay && e->delay->math.expr) {
            uvec d = math_units(c, &e->delay->math, NULL, e->delay->b.node);
            uvec t = e->time_units ? unit_or_undeclared(c, e->time_units) : time_units(c);
            char td[SBML_UNIT_TEXT_MAX], tt[SBML_UNIT_TEXT_MAX];
            if (!d.undeclared && !t.undeclared && !u_equal(&d, &t))
                sbml_report(&c->out, "sbml:10551", e->delay->math.line,
                            "the delay of %s%s%s is not in units of time: it gives %s, time "
                            "is %s",
                            e->b.id ? "event \"" : "an event", e->b.id ? e->b.id : "",
                            e->b.id ? "\"" : "", u_text(td, &d), u_text(tt, &t));
        }
        if (e->priority && e->priority->math.expr) {
            uvec p = math_units(c, &e->priority->math, NULL, e->priority->b.node);
            char tp[SBML_UNIT_TEXT_MAX];
            if (!p.undeclared && !u_dimensionless(&p))
                sbml_report(&c->out, "sbml:10565", e->priority->math.line,
                            "the priority of %s%s%s should be dimensionless, but it has %s",
                            e->b.id ? "event \"" : "an event", e->b.id ? e->b.id : "",
                            e->b.id ? "\"" : "", u_text(tp, &p));
        }
        for (size_t j = 0; j < e->nassignments; j++) {
            const tc_sbml_event_assignment *a = &e->assignments[j];
            no_math(c, &a->b, &a->math);
            compare(c, event, a->variable, &a->math, NULL, false, a->b.node, a->b.line);
        }
    }
}
