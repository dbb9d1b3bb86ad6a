/* Safe XML reading: tc_xml_read_ex on raw bytes, every problem classified. */
#include <libxml/tree.h>

#include "fuzz.h"

static void count_problem(void *ctx, const tc_xml_problem *p)
{
    size_t *n = ctx;
    /* Every problem names a rule of the catalogue and carries a message. */
    if (!p->rule || !tc_rule_find(p->rule) || !p->message)
        abort();
    (*n)++;
}

TC_FUZZ_TARGET(xml)
{
    size_t problems = 0;
    xmlDocPtr doc = tc_xml_read_ex(data, size, "fuzz.xml", count_problem, &problems);
    /* A document that was refused comes with at least one problem saying why. */
    if (!doc && problems == 0)
        abort();
    xmlFreeDoc(doc);
    return 0;
}
