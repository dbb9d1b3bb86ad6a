/* The model's SId namespace as a sorted table, look-ups by id, and the syntax of
 * SBML's identifier types. */
#include <stdlib.h>
#include <string.h>

#include <libxml/chvalid.h>

#include "sbml_impl.h"

typedef struct builder {
    sbml_sym *items;
    size_t len, cap;
} builder;

static void add(builder *b, const tc_sbml_base *base, sbml_kind kind, const void *obj)
{
    if (!base->id)
        return;
    TC_GROW(b->items, b->cap, b->len + 1);
    b->items[b->len++] = (sbml_sym){base->id, kind, obj, base->line};
}

static int cmp_sym(const void *a, const void *b)
{
    const sbml_sym *x = a, *y = b;
    int c = strcmp(x->id, y->id);
    /* equal ids keep document order (by line) so the first definition wins */
    return c ? c : (x->line > y->line) - (x->line < y->line);
}

void sbml_syms_build(sbml_syms *t, const tc_sbml_model *m)
{
    builder b = {0};
    *t = (sbml_syms){0};
    if (!m)
        return;
    for (size_t i = 0; i < m->nfunctions; i++)
        add(&b, &m->functions[i].b, SBML_FUNCTION, &m->functions[i]);
    for (size_t i = 0; i < m->ncompartments; i++)
        add(&b, &m->compartments[i].b, SBML_COMPARTMENT, &m->compartments[i]);
    for (size_t i = 0; i < m->nspecies; i++)
        add(&b, &m->species[i].b, SBML_SPECIES, &m->species[i]);
    for (size_t i = 0; i < m->nparameters; i++)
        add(&b, &m->parameters[i].b, SBML_PARAMETER, &m->parameters[i]);
    for (size_t i = 0; i < m->nreactions; i++) {
        const tc_sbml_reaction *r = &m->reactions[i];
        add(&b, &r->b, SBML_REACTION, r);
        for (size_t j = 0; j < r->nreactants; j++)
            add(&b, &r->reactants[j].b, SBML_SPECIESREF, &r->reactants[j]);
        for (size_t j = 0; j < r->nproducts; j++)
            add(&b, &r->products[j].b, SBML_SPECIESREF, &r->products[j]);
        for (size_t j = 0; j < r->nmodifiers; j++)
            add(&b, &r->modifiers[j].b, SBML_OTHER, &r->modifiers[j]);
    }
    for (size_t i = 0; i < m->nevents; i++)
        add(&b, &m->events[i].b, SBML_EVENT, &m->events[i]);
    t->items = b.items;
    t->len = b.len;
    if (t->len)
        qsort(t->items, t->len, sizeof(*t->items), cmp_sym);
    for (size_t i = 0; i < t->len; i++)
        sbml_map_put(&t->first, t->items[i].id, i, NULL);
}

void sbml_syms_release(sbml_syms *t)
{
    free(t->items);
    sbml_map_free(&t->first);
    *t = (sbml_syms){0};
}

const sbml_sym *sbml_syms_find(const sbml_syms *t, const char *id)
{
    size_t i;
    return sbml_map_get(&t->first, id, &i) ? &t->items[i] : NULL;
}

static const void *find_kind(const sbml_ctx *c, const char *id, sbml_kind kind)
{
    const sbml_sym *s = sbml_syms_find(&c->syms, id);
    for (; s && s < c->syms.items + c->syms.len && strcmp(s->id, id) == 0; s++)
        if (s->kind == kind)
            return s->obj;
    return NULL;
}

const tc_sbml_compartment *sbml_compartment(const sbml_ctx *c, const char *id)
{
    return find_kind(c, id, SBML_COMPARTMENT);
}

const tc_sbml_species *sbml_species(const sbml_ctx *c, const char *id)
{
    return find_kind(c, id, SBML_SPECIES);
}

const tc_sbml_parameter *sbml_parameter(const sbml_ctx *c, const char *id)
{
    return find_kind(c, id, SBML_PARAMETER);
}

const tc_sbml_function *sbml_function(const sbml_ctx *c, const char *id)
{
    return find_kind(c, id, SBML_FUNCTION);
}

const tc_sbml_unitdef *sbml_unitdef(const sbml_ctx *c, const char *id)
{
    const size_t *v;
    return sbml_multi_get(&c->ix.unitdefs, id, &v) ? &c->m->unitdefs[v[0]] : NULL;
}

const tc_sbml_rule *sbml_rule_for(const sbml_ctx *c, const char *id, tc_sbml_rule_kind kind)
{
    const size_t *v;
    size_t n = sbml_multi_get(&c->ix.rules, id, &v);
    for (size_t i = 0; i < n; i++)
        if (c->m->rules[v[i]].kind == kind)
            return &c->m->rules[v[i]];
    return NULL;
}

bool sbml_is_participant(const sbml_ctx *c, const char *species)
{
    const size_t *v;
    return sbml_multi_get(&c->ix.participant, species, &v) > 0;
}

bool sbml_is_base_unit(const char *kind, int level, int version)
{
    static const char *const common[] = {
        "ampere",   "becquerel", "candela", "coulomb", "dimensionless", "farad",   "gram",
        "gray",     "henry",     "hertz",   "item",    "joule",         "katal",   "kelvin",
        "kilogram", "litre",     "lumen",   "lux",     "metre",         "mole",    "newton",
        "ohm",      "pascal",    "radian",  "second",  "siemens",       "sievert", "steradian",
        "tesla",    "volt",      "watt",    "weber"};
    if (!kind)
        return false;
    /* asked for every unit reference: the first letters are compared without a call */
    for (size_t i = 0; i < sizeof(common) / sizeof(common[0]); i++)
        if (kind[0] == common[i][0] && strcmp(kind, common[i]) == 0)
            return true;
    if (strcmp(kind, "avogadro") == 0)
        return level >= 3;
    if (strcmp(kind, "Celsius") == 0 || strcmp(kind, "celsius") == 0)
        return level == 1 || (level == 2 && version == 1);
    if (strcmp(kind, "liter") == 0 || strcmp(kind, "meter") == 0)
        return level == 1;
    return false;
}

static bool letter(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool digit(char c)
{
    return c >= '0' && c <= '9';
}

bool sbml_is_sid(const char *s)
{
    if (!s || !(letter(*s) || *s == '_'))
        return false;
    for (s++; *s; s++)
        if (!(letter(*s) || digit(*s) || *s == '_'))
            return false;
    return true;
}

/* Decode one UTF-8 character; returns its length (0 on a malformed sequence). */
static int utf8(const unsigned char *s, unsigned long *cp)
{
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    int n = (s[0] & 0xE0) == 0xC0 ? 2 : (s[0] & 0xF0) == 0xE0 ? 3 : (s[0] & 0xF8) == 0xF0 ? 4 : 0;
    if (!n)
        return 0;
    *cp = s[0] & (0x7F >> n);
    for (int i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        *cp = (*cp << 6) | (s[i] & 0x3F);
    }
    return n;
}

/* The ID syntax of the SBML specifications (section 3.1.6 of L3V1): ( letter | '_' |
 * ':' ) NameChar*, with letter, digit, CombiningChar and Extender the character
 * classes of XML 1.0 appendix B (editions 1-4), which libxml2 implements. The fifth
 * edition's wider NameStartChar ranges are not what SBML means: U+0132 and U+0964,
 * for instance, are not letters here. */
static bool id_start(unsigned long c)
{
    unsigned int u = (unsigned int)c;
    return c <= 0x10FFFF && (xmlIsBaseChar(u) || xmlIsIdeographic(u) || c == '_' || c == ':');
}

static bool id_char(unsigned long c)
{
    unsigned int u = (unsigned int)c;
    return id_start(c) || (c <= 0x10FFFF && (xmlIsDigit(u) || xmlIsCombining(u) ||
                                             xmlIsExtender(u))) ||
           c == '.' || c == '-';
}

bool sbml_is_xml_id(const char *s)
{
    if (!s || !*s)
        return false;
    const unsigned char *p = (const unsigned char *)s;
    for (bool first = true; *p; first = false) {
        unsigned long cp;
        int n = utf8(p, &cp);
        if (!n || !(first ? id_start(cp) : id_char(cp)))
            return false;
        p += n;
    }
    return true;
}

const char *sbml_kind_name(sbml_kind k, const char *other)
{
    switch (k) {
    case SBML_COMPARTMENT:
        return "compartment";
    case SBML_SPECIES:
        return "species";
    case SBML_PARAMETER:
        return "parameter";
    case SBML_SPECIESREF:
        return "species reference";
    case SBML_REACTION:
        return "reaction";
    case SBML_FUNCTION:
        return "function definition";
    case SBML_EVENT:
        return "event";
    default:
        return other;
    }
}
