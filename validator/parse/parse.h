/*
 * parse: turn a package file's bytes into a document, safely, and report
 * well-formedness problems with line and column (xml:..., json:...).
 *
 * XML is parsed by libxml2 with network access, external entities and DTD
 * loading off; entity-expansion bombs become findings, not hangs.
 */
#ifndef TC_PARSE_H
#define TC_PARSE_H

#include <libxml/tree.h>

#include "core/core.h"
#include "intake/intake.h"

/* Parse XML through tc_xml_read_ex (core). Returns the document (caller frees
 * with xmlFreeDoc) or NULL, in which case findings saying why were added; a
 * returned document may still come with findings (xml:doctype, xml:external-dtd,
 * xml:external-entity). */
xmlDocPtr tc_parse_xml(const tc_file *file, tc_findings *fs);
/* Parse JSON: any value at the top level, duplicate keys, NUL and U+0000
 * rejected, nesting bounded at 2048 (jansson's limit). Returns a new reference
 * or NULL with findings added (json:...), located by line, column and the JSON
 * pointer of the value at fault. A leading byte order mark is reported and
 * skipped. */
json_t *tc_parse_json(const tc_file *file, tc_findings *fs);
/* The well-formedness check of every XML and JSON file in the package. */
void tc_parse_check_package(const tc_package *pkg, tc_findings *fs);
/* Line of an XML node, as libxml2 recorded it (0 when unknown). */
long tc_xml_line(const xmlNode *node);

#endif
