/*
 * A twin package built from one SBML Test Suite semantic case: the case's model,
 * a SED-ML file written from its settings (a uniform time course from start to
 * start + duration in `steps` steps; one data generator per variable, amounts or
 * concentrations as the settings ask; data sets labelled with the results' column
 * names), the case's results.csv as the declared report (its header the data set ids), and the other model files
 * a composed model names. Shared by the conformance runner and the integration test; static
 * functions only (included once per program).
 */
#ifndef TC_SEMANTIC_CASE_H
#define TC_SEMANTIC_CASE_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "sbml/sbml.h"

typedef struct sem_settings {
    double start, duration, atol, rtol;
    long steps;
    char vars[4096], amounts[4096], concs[4096];
} sem_settings;

static void sem_trim(char *s)
{
    size_t n = strlen(s);
    while (n && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' '))
        s[--n] = '\0';
}

static int sem_read_settings(const char *path, sem_settings *st)
{
    FILE *fp = fopen(path, "r");
    if (!fp)
        return -1;
    memset(st, 0, sizeof *st);
    char line[8192];
    while (fgets(line, sizeof line, fp)) {
        sem_trim(line);
        char *v = strchr(line, ':');
        if (!v)
            continue;
        *v++ = '\0';
        while (*v == ' ')
            v++;
        if (strcmp(line, "start") == 0)
            st->start = strtod(v, NULL);
        else if (strcmp(line, "duration") == 0)
            st->duration = strtod(v, NULL);
        else if (strcmp(line, "steps") == 0)
            st->steps = strtol(v, NULL, 10);
        else if (strcmp(line, "absolute") == 0)
            st->atol = strtod(v, NULL);
        else if (strcmp(line, "relative") == 0)
            st->rtol = strtod(v, NULL);
        else if (strcmp(line, "variables") == 0)
            snprintf(st->vars, sizeof st->vars, "%s", v);
        else if (strcmp(line, "amount") == 0)
            snprintf(st->amounts, sizeof st->amounts, "%s", v);
        else if (strcmp(line, "concentration") == 0)
            snprintf(st->concs, sizeof st->concs, "%s", v);
    }
    fclose(fp);
    return st->steps > 0 ? 0 : -1;
}

static bool sem_listed(const char *list, const char *id)
{
    size_t n = strlen(id);
    for (const char *p = list; (p = strstr(p, id)) != NULL; p += n) {
        bool start = p == list || p[-1] == ',' || p[-1] == ' ';
        bool end = p[n] == '\0' || p[n] == ',' || p[n] == ' ';
        if (start && end)
            return true;
    }
    return false;
}

/* The data generator for SBML symbol `id` (reported as the settings ask). */
static bool sem_data_generator(tc_buf *b, const tc_sbml_model *m, const char *id,
                               const sem_settings *st)
{
    const char *list = NULL, *extra = NULL, *op = NULL;
    for (size_t i = 0; i < m->nspecies && !list; i++) {
        const tc_sbml_species *s = &m->species[i];
        if (!s->b.id || strcmp(s->b.id, id) != 0)
            continue;
        list = "listOfSpecies/sbml:species";
        bool natural_amount = s->has_only_substance_units == 1;
        if (sem_listed(st->amounts, id) && !natural_amount)
            op = "times";
        else if (sem_listed(st->concs, id) && natural_amount)
            op = "divide";
        extra = op ? s->compartment : NULL;
    }
    static const char *const kinds[][2] = {{"listOfParameters/sbml:parameter", "parameter"},
                                           {"listOfCompartments/sbml:compartment", "compartment"},
                                           {"listOfReactions/sbml:reaction", "reaction"}};
    for (size_t i = 0; i < m->nparameters && !list; i++)
        if (m->parameters[i].b.id && strcmp(m->parameters[i].b.id, id) == 0)
            list = kinds[0][0];
    for (size_t i = 0; i < m->ncompartments && !list; i++)
        if (m->compartments[i].b.id && strcmp(m->compartments[i].b.id, id) == 0)
            list = kinds[1][0];
    for (size_t i = 0; i < m->nreactions && !list; i++)
        if (m->reactions[i].b.id && strcmp(m->reactions[i].b.id, id) == 0)
            list = kinds[2][0];
    if (!list)
        return false;
    tc_buf_printf(b,
                  "    <dataGenerator id=\"dg_%s\"><listOfVariables>\n"
                  "      <variable id=\"v_%s\" taskReference=\"task\" "
                  "target=\"/sbml:sbml/sbml:model/sbml:%s[@id='%s']\"/>\n",
                  id, id, list, id);
    if (extra)
        tc_buf_printf(b,
                      "      <variable id=\"c_%s\" taskReference=\"task\" target=\"/sbml:sbml/"
                      "sbml:model/sbml:listOfCompartments/sbml:compartment[@id='%s']\"/>\n",
                      id, extra);
    tc_buf_puts(b, "    </listOfVariables>\n"
                   "    <math xmlns=\"http://www.w3.org/1998/Math/MathML\">");
    if (extra)
        tc_buf_printf(b, "<apply><%s/><ci>v_%s</ci><ci>c_%s</ci></apply>", op, id, id);
    else
        tc_buf_printf(b, "<ci>v_%s</ci>", id);
    tc_buf_puts(b, "</math></dataGenerator>\n");
    return true;
}

/* The case's results as the declared report: the same rows under a header of the
 * data set ids (the first column is the time; the others are named after the model
 * symbols), so a header that repeats a name ("Time" for the time and for a
 * parameter) still names each column once. *time_name gets the first column's name. */
static char *sem_report_csv(const unsigned char *csv, size_t len, char time_name[64],
                            size_t *out_len)
{
    size_t end = 0;
    while (end < len && csv[end] != '\n')
        end++;
    char *header = tc_xstrndup((const char *)csv, end);
    sem_trim(header);
    tc_buf b = TC_BUF_INIT;
    char *save = NULL;
    size_t col = 0;
    snprintf(time_name, 64, "time");
    for (char *f = strtok_r(header, ",", &save); f; f = strtok_r(NULL, ",", &save), col++) {
        f += strspn(f, " \t");
        sem_trim(f);
        if (col == 0) {
            if (*f && strlen(f) < 64)
                snprintf(time_name, 64, "%s", f);
            tc_buf_puts(&b, "simulation_time");
        } else {
            tc_buf_printf(&b, ",ds_%s", f);
        }
    }
    tc_buf_puts(&b, "\n");
    if (end < len)
        tc_buf_add(&b, csv + end + 1, len - end - 1);
    free(header);
    *out_len = b.len;
    return tc_buf_detach(&b);
}

/* Other files of the case that its model names (external model definitions of the
 * comp package): every file not named after the case, same level as `level`. */
static size_t sem_extra_files(const char *suite, const char *name, const char *level,
                              char names[][256], size_t max)
{
    char *dir = tc_xasprintf("%s/%s", suite, name);
    DIR *d = opendir(dir);
    size_t n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)) && n < max) {
        size_t len = strlen(e->d_name);
        if (e->d_name[0] == '.' || strncmp(e->d_name, name, strlen(name)) == 0 || len < 5 ||
            len >= 256 || strcmp(e->d_name + len - 4, ".xml") != 0 || !strstr(e->d_name, level))
            continue;
        snprintf(names[n++], 256, "%s", e->d_name);
    }
    if (d)
        closedir(d);
    free(dir);
    return n;
}

/* Remove a package folder written by sem_build, and everything in it. */
static void sem_remove(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char *p = tc_xasprintf("%s/%s", dir, e->d_name);
        unlink(p);
        free(p);
    }
    if (d)
        closedir(d);
    rmdir(dir);
}

/* Write the package for case `name` of `suite` into the existing folder `dir`.
 * Returns 0, or -1 with *why set (static text) when the case cannot be built. */
static int sem_build(const char *suite, const char *name, const char *dir, sem_settings *st,
                     const char **why)
{
    static const char *const levels[] = {"l3v2", "l3v1", "l2v5", "l2v4"};
    char *path = NULL;
    unsigned char *model = NULL, *results = NULL;
    char *report_csv = NULL;
    size_t mlen = 0, rlen = 0;
    const char *level = NULL;
    int rc = -1;
    tc_sbml_doc *doc = NULL;
    tc_findings fs;
    tc_findings_init(&fs);
    tc_buf b = TC_BUF_INIT, report = TC_BUF_INIT, manifest = TC_BUF_INIT;
    char extra[8][256];
    size_t nextra = 0;
    path = tc_xasprintf("%s/%s/%s-settings.txt", suite, name, name);
    if (sem_read_settings(path, st) != 0) {
        *why = "no usable settings";
        goto done;
    }
    for (size_t i = 0; i < 4 && !model; i++) {
        free(path);
        path = tc_xasprintf("%s/%s/%s-sbml-%s.xml", suite, name, name, levels[i]);
        if (tc_read_file(path, 64 << 20, &model, &mlen) != 0)
            model = NULL;
        else
            level = levels[i];
    }
    free(path);
    path = tc_xasprintf("%s/%s/%s-results.csv", suite, name, name);
    if (!model || tc_read_file(path, 64 << 20, &results, &rlen) != 0) {
        *why = "no model or no results";
        goto done;
    }
    if (tc_sbml_read(&doc, model, mlen, "model.xml", &fs) != 0 || !doc->model) {
        *why = "the model is not readable";
        goto done;
    }
    /* a composed model's variables are named as in its flat form (submodel__id) */
    free(path);
    path = tc_xasprintf("%s/%s", suite, name);
    tc_sbml_resolver in_case = tc_sbml_resolver_dir(path);
    if (tc_sbml_flatten(doc, &in_case, &fs) != 0 || !doc->model) {
        *why = "the composed model cannot be flattened";
        goto done;
    }
    nextra = sem_extra_files(suite, name, level, extra, 8);
    char time_name[64];
    size_t report_len = 0;
    report_csv = sem_report_csv(results, rlen, time_name, &report_len);
    tc_buf_printf(&b,
                  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                  "<sedML xmlns=\"http://sed-ml.org/sed-ml/level1/version4\" "
                  "xmlns:sbml=\"http://www.sbml.org/sbml/level3/version2/core\" level=\"1\" "
                  "version=\"4\">\n"
                  "  <listOfModels><model id=\"model\" "
                  "language=\"urn:sedml:language:sbml\" source=\"model.xml\"/></listOfModels>\n"
                  "  <listOfSimulations><uniformTimeCourse id=\"sim\" initialTime=\"%.17g\" "
                  "outputStartTime=\"%.17g\" outputEndTime=\"%.17g\" numberOfSteps=\"%ld\">"
                  "<algorithm kisaoID=\"KISAO:0000019\"/></uniformTimeCourse>"
                  "</listOfSimulations>\n"
                  "  <listOfTasks><task id=\"task\" modelReference=\"model\" "
                  "simulationReference=\"sim\"/></listOfTasks>\n"
                  "  <listOfDataGenerators>\n"
                  "    <dataGenerator id=\"time_dg\"><listOfVariables><variable id=\"t\" "
                  "symbol=\"urn:sedml:symbol:time\" taskReference=\"task\"/></listOfVariables>"
                  "<math xmlns=\"http://www.w3.org/1998/Math/MathML\"><ci>t</ci></math>"
                  "</dataGenerator>\n",
                  st->start, st->start, st->start + st->duration, st->steps);
    /* data set ids of their own (a model may have a parameter called "Time"); the
     * labels are the results' column names */
    tc_buf_printf(&report,
                  "      <dataSet id=\"simulation_time\" label=\"%s\" dataReference=\"time_dg\"/>\n",
                  time_name);
    char *vars = tc_xstrdup(st->vars), *save = NULL;
    bool ok = true;
    for (char *v = strtok_r(vars, ", ", &save); v && ok; v = strtok_r(NULL, ", ", &save)) {
        ok = sem_data_generator(&b, doc->model, v, st);
        tc_buf_printf(&report,
                      "      <dataSet id=\"ds_%s\" label=\"%s\" dataReference=\"dg_%s\"/>\n", v,
                      v, v);
    }
    free(vars);
    tc_buf_printf(&b,
                  "  </listOfDataGenerators>\n"
                  "  <listOfOutputs><report id=\"report\"><listOfDataSets>\n%s"
                  "  </listOfDataSets></report></listOfOutputs>\n</sedML>\n",
                  report.data);
    if (!ok) {
        *why = "a variable is no species, parameter, compartment or reaction";
        goto done;
    }
    tc_buf_puts(&manifest,
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                "<omexManifest "
                "xmlns=\"http://identifiers.org/combine.specifications/omex-manifest\">\n"
                "<content location=\".\" "
                "format=\"http://identifiers.org/combine.specifications/omex\"/>\n"
                "<content location=\"./manifest.xml\" "
                "format=\"http://identifiers.org/combine.specifications/omex-manifest\"/>\n"
                "<content location=\"./model.xml\" "
                "format=\"http://identifiers.org/combine.specifications/sbml\"/>\n"
                "<content location=\"./simulation.sedml\" "
                "format=\"http://identifiers.org/combine.specifications/sed-ml\" "
                "master=\"true\"/>\n"
                "<content location=\"./report.csv\" "
                "format=\"http://purl.org/NET/mediatypes/text/csv\"/>\n");
    for (size_t i = 0; i < nextra; i++)
        tc_buf_printf(&manifest,
                      "<content location=\"./%s\" "
                      "format=\"http://identifiers.org/combine.specifications/sbml\"/>\n",
                      extra[i]);
    tc_buf_puts(&manifest, "</omexManifest>\n");
    char *p1 = tc_xasprintf("%s/model.xml", dir), *p2 = tc_xasprintf("%s/simulation.sedml", dir),
         *p3 = tc_xasprintf("%s/report.csv", dir), *p4 = tc_xasprintf("%s/manifest.xml", dir);
    rc = tc_write_file(p1, model, mlen) || tc_write_file(p2, b.data, b.len) ||
                 tc_write_file(p3, report_csv, report_len) ||
                 tc_write_file(p4, manifest.data, manifest.len)
             ? -1
             : 0;
    free(p1);
    free(p2);
    free(p3);
    free(p4);
    for (size_t i = 0; i < nextra && rc == 0; i++) {
        unsigned char *data = NULL;
        size_t len = 0;
        char *from = tc_xasprintf("%s/%s/%s", suite, name, extra[i]);
        char *to = tc_xasprintf("%s/%s", dir, extra[i]);
        rc = tc_read_file(from, 64 << 20, &data, &len) == 0 && tc_write_file(to, data, len) == 0
                 ? 0
                 : -1;
        free(data);
        free(from);
        free(to);
    }
    if (rc)
        *why = "cannot write the package";
done:
    tc_buf_release(&b);
    tc_buf_release(&report);
    tc_buf_release(&manifest);
    free(path);
    free(model);
    free(results);
    free(report_csv);
    tc_sbml_doc_free(doc);
    tc_findings_release(&fs);
    tc_error_clear();
    return rc;
}

#endif
