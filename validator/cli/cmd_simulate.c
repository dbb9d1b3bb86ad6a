/* twincheck simulate: run an SBML model's time course on the reference solvers and
 * write it as CSV. */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "core/core.h"
#include "sbml/sbml.h"

#define MAX_MODEL_BYTES (256L << 20)
#define MAX_OUTPUT_STEPS 10000000L

static const tc_cli_option options[] = {
    {"start", 0, "T0", "start time (default 0)"},
    {"end", 0, "T1", "end time (required, greater than T0)"},
    {"steps", 0, "N", "number of output intervals: N + 1 rows (required)"},
    {"atol", 0, "A", "absolute tolerance of the integrator (default 1e-10)"},
    {"rtol", 0, "R", "relative tolerance of the integrator (default 1e-8)"},
    {"vars", 0, "LIST", "comma-separated ids to report (default: every species)"},
    {"amounts", 0, "LIST", "species reported as amounts"},
    {"concentrations", 0, "LIST", "species reported as concentrations"},
    {"method", 0, "METHOD", "bdf (default, stiff problems) or rk45 (Dormand-Prince)"},
    {"max-steps", 0, "N", "integrator step limit over the run (default 500000)"},
    {"max-seconds", 0, "S", "wall-time limit of the run in seconds (default 300)"},
    {"seed", 0, "N", "seed for the order of simultaneous events of equal priority (default 1)"},
    {"output", 'o', "FILE", "write the CSV to FILE instead of standard output"},
    {0},
};

enum {
    OPT_START,
    OPT_END,
    OPT_STEPS,
    OPT_ATOL,
    OPT_RTOL,
    OPT_VARS,
    OPT_AMOUNTS,
    OPT_CONCS,
    OPT_METHOD,
    OPT_MAX_STEPS,
    OPT_MAX_SECONDS,
    OPT_SEED,
    OPT_OUTPUT
};

typedef struct sim_args {
    const tc_cli_command *cmd;
    double start, end, atol, rtol, max_seconds;
    long steps, max_steps;
    bool have_end, have_steps;
    const char *vars, *amounts, *concs, *output;
    tc_method method;
    uint64_t seed;
} sim_args;

static int number(const sim_args *a, const char *opt, const char *arg, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(arg, &end);
    if (end == arg || *end || errno || !isfinite(v))
        return tc_cli_usage_error(a->cmd, "--%s needs a finite number, not '%s'", opt, arg);
    *out = v;
    return 0;
}

static int count(const sim_args *a, const char *opt, const char *arg, long max, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(arg, &end, 10);
    if (end == arg || *end || errno || v < 1 || v > max)
        return tc_cli_usage_error(a->cmd, "--%s needs a whole number from 1 to %ld, not '%s'",
                                  opt, max, arg);
    *out = v;
    return 0;
}

static int on_option(void *ctx, int index, const char *arg)
{
    sim_args *a = ctx;
    switch (index) {
    case OPT_START:
        return number(a, "start", arg, &a->start);
    case OPT_END:
        a->have_end = true;
        return number(a, "end", arg, &a->end);
    case OPT_STEPS:
        a->have_steps = true;
        return count(a, "steps", arg, MAX_OUTPUT_STEPS, &a->steps);
    case OPT_ATOL:
        if (number(a, "atol", arg, &a->atol) != 0)
            return TC_EXIT_USAGE;
        return a->atol > 0 ? 0 : tc_cli_usage_error(a->cmd, "--atol must be positive");
    case OPT_RTOL:
        if (number(a, "rtol", arg, &a->rtol) != 0)
            return TC_EXIT_USAGE;
        return a->rtol > 0 ? 0 : tc_cli_usage_error(a->cmd, "--rtol must be positive");
    case OPT_VARS:
        a->vars = arg;
        return 0;
    case OPT_AMOUNTS:
        a->amounts = arg;
        return 0;
    case OPT_CONCS:
        a->concs = arg;
        return 0;
    case OPT_METHOD:
        if (strcmp(arg, "bdf") == 0)
            a->method = TC_METHOD_BDF;
        else if (strcmp(arg, "rk45") == 0)
            a->method = TC_METHOD_DOPRI5;
        else
            return tc_cli_usage_error(a->cmd, "unknown method '%s' (expected bdf or rk45)", arg);
        return 0;
    case OPT_MAX_STEPS:
        return count(a, "max-steps", arg, 1000000000L, &a->max_steps);
    case OPT_MAX_SECONDS:
        if (number(a, "max-seconds", arg, &a->max_seconds) != 0)
            return TC_EXIT_USAGE;
        return a->max_seconds > 0 ? 0
                                  : tc_cli_usage_error(a->cmd, "--max-seconds must be positive");
    case OPT_SEED:
        return tc_cli_parse_seed(a->cmd, arg, &a->seed);
    case OPT_OUTPUT:
        a->output = arg;
        return 0;
    }
    return -1;
}

/* A comma-separated list: *n words, each trimmed and non-empty. Caller frees. */
static char **split(const char *text, size_t *n)
{
    char **out = NULL;
    size_t cap = 0;
    *n = 0;
    if (!text)
        return NULL;
    const char *p = text;
    for (;;) {
        const char *q = strchr(p, ',');
        size_t len = q ? (size_t)(q - p) : strlen(p);
        while (len && (*p == ' ' || *p == '\t')) {
            p++;
            len--;
        }
        while (len && (p[len - 1] == ' ' || p[len - 1] == '\t'))
            len--;
        if (len) {
            TC_GROW(out, cap, *n + 1);
            out[(*n)++] = tc_xstrndup(p, len);
        }
        if (!q)
            break;
        p = q + 1;
    }
    return out;
}

static void free_words(char **w, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(w[i]);
    free(w);
}

static bool listed(char **w, size_t n, const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(w[i], id) == 0)
            return true;
    return false;
}

/* Print the document's errors (read and validation) to stderr; true if any. */
static bool report_errors(const tc_findings *fs)
{
    bool any = false;
    for (size_t i = 0; i < fs->len; i++) {
        const tc_finding *f = &fs->items[i];
        if (f->severity < TC_ERROR)
            continue;
        any = true;
        fprintf(stderr, "%s:%ld: %s: %s [%s%s%s]\n", f->file ? f->file : "?", f->line,
                tc_severity_name(f->severity), f->message, f->rule, f->also ? ", also " : "",
                f->also ? f->also : "");
    }
    return any;
}

/* The shortest of %.15g, %.16g, %.17g that reads back as the same double. */
static void put_number(FILE *out, double v)
{
    char buf[40];
    for (int digits = 15; digits <= 17; digits++) {
        snprintf(buf, sizeof(buf), "%.*g", digits, v);
        if (strtod(buf, NULL) == v || isnan(v))
            break;
    }
    fputs(buf, out);
}

static void write_row(FILE *out, double t, const double *v, size_t n)
{
    put_number(out, t);
    for (size_t j = 0; j < n; j++) {
        fputc(',', out);
        put_number(out, v[j]);
    }
    fputc('\n', out);
}

static int run(const tc_cli_command *cmd, int argc, char **argv)
{
    sim_args a = {.cmd = cmd,
                  .atol = 1e-10,
                  .rtol = 1e-8,
                  .max_steps = 500000,
                  .max_seconds = 300,
                  .method = TC_METHOD_BDF,
                  .seed = 1};
    /* options may come before and after MODEL */
    const char *path = NULL;
    int base = 0;
    for (;;) {
        int first = tc_cli_parse(cmd, argc - base, argv + base, on_option, &a);
        if (first == -2)
            return TC_EXIT_OK;
        if (first < 0)
            return TC_EXIT_USAGE;
        first += base;
        if (first >= argc)
            break;
        if (path)
            return tc_cli_usage_error(cmd, "unexpected argument '%s'", argv[first]);
        path = argv[first];
        base = first;
    }
    if (!path)
        return tc_cli_usage_error(cmd, "no MODEL to simulate");
    if (!a.have_end || !a.have_steps)
        return tc_cli_usage_error(cmd, "--end and --steps are required");
    if (!(a.end > a.start))
        return tc_cli_usage_error(cmd, "--end (%g) must be after --start (%g)", a.end, a.start);

    int status = TC_EXIT_OK;
    unsigned char *data = NULL;
    size_t len = 0, nvars = 0, namounts = 0, nconcs = 0;
    char **vars = NULL, **amounts = split(a.amounts, &namounts),
         **concs = split(a.concs, &nconcs);
    const char **species = NULL;
    tc_sbml_output *outs = NULL;
    double *row = NULL;
    tc_sbml_doc *doc = NULL;
    tc_sbml_sim *sim = NULL;
    tc_system *sys = NULL;
    tc_sim_result *res = NULL;
    FILE *out = stdout;
    tc_findings fs;
    tc_findings_init(&fs);

    if (tc_read_file(path, MAX_MODEL_BYTES, &data, &len) != 0) {
        fprintf(stderr, "twincheck simulate: %s\n", tc_error_last());
        status = TC_EXIT_USAGE;
        goto cleanup;
    }
    const char *label = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    /* A composed model is flattened with the model files of its own folder. */
    char *dir = label == path ? tc_xstrdup(".") : tc_xstrndup(path, (size_t)(label - 1 - path));
    tc_sbml_resolver folder = tc_sbml_resolver_dir(dir);
    if (tc_sbml_read(&doc, data, len, label, &fs) == 0 && tc_sbml_flatten(doc, &folder, &fs) == 0)
        tc_sbml_validate(doc, &fs);
    free(dir);
    tc_findings_sort(&fs);
    if (report_errors(&fs) || !doc) {
        fprintf(stderr, "twincheck simulate: %s is not a valid SBML model\n", path);
        status = TC_EXIT_USAGE;
        goto cleanup;
    }
    if (tc_sbml_sim_new(&sim, doc) != 0) {
        fprintf(stderr, "twincheck simulate: %s\n", tc_error_last());
        status = TC_EXIT_USAGE;
        goto cleanup;
    }
    if (tc_system_new(&sys, tc_sbml_sim_model(sim)) != 0) {
        fprintf(stderr, "twincheck simulate: %s\n", tc_solver_error());
        status = TC_EXIT_USAGE;
        goto cleanup;
    }
    /* the columns */
    if (a.vars) {
        vars = split(a.vars, &nvars);
    } else {
        nvars = tc_sbml_sim_species(sim, &species);
        vars = tc_xcalloc(nvars ? nvars : 1, sizeof(*vars));
        for (size_t i = 0; i < nvars; i++)
            vars[i] = tc_xstrdup(species[i]);
    }
    for (size_t i = 0; i < namounts + nconcs; i++) {
        const char *id = i < namounts ? amounts[i] : concs[i - namounts];
        tc_sbml_output probe;
        if (tc_sbml_sim_output(sim, id, TC_SBML_NATURAL, &probe) != 0) {
            fprintf(stderr, "twincheck simulate: %s\n", tc_error_last());
            status = TC_EXIT_USAGE;
            goto cleanup;
        }
    }
    outs = tc_xcalloc(nvars ? nvars : 1, sizeof(*outs));
    for (size_t i = 0; i < nvars; i++) {
        tc_sbml_form form = listed(amounts, namounts, vars[i])  ? TC_SBML_AMOUNT
                            : listed(concs, nconcs, vars[i]) ? TC_SBML_CONCENTRATION
                                                             : TC_SBML_NATURAL;
        if (tc_sbml_sim_output(sim, vars[i], form, &outs[i]) != 0) {
            fprintf(stderr, "twincheck simulate: --vars: %s\n", tc_error_last());
            status = TC_EXIT_USAGE;
            goto cleanup;
        }
    }
    if (a.output && !(out = fopen(a.output, "w"))) {
        out = stdout;
        fprintf(stderr, "twincheck simulate: cannot write %s: %s\n", a.output, strerror(errno));
        status = TC_EXIT_USAGE;
        goto cleanup;
    }

    tc_sim_options opt = TC_SIM_OPTIONS_INIT;
    opt.method = a.method;
    opt.t0 = a.start;
    opt.t1 = a.end;
    opt.n_steps = (size_t)a.steps;
    opt.atol = a.atol;
    opt.rtol = a.rtol;
    opt.max_steps = a.max_steps;
    opt.max_wall_seconds = a.max_seconds;
    opt.seed = a.seed;
    int rc = tc_simulate(sys, &opt, &res);
    if (!res) {
        fprintf(stderr, "twincheck simulate: %s\n", tc_solver_error());
        status = TC_EXIT_USAGE;
        goto cleanup;
    }
    fputs("time", out);
    for (size_t i = 0; i < nvars; i++)
        fprintf(out, ",%s", vars[i]);
    fputc('\n', out);
    row = tc_xcalloc(nvars ? nvars : 1, sizeof(*row));
    for (size_t r = 0; r < tc_sim_result_rows(res); r++) {
        for (size_t i = 0; i < nvars; i++)
            row[i] = tc_sbml_output_value(&outs[i], res, r);
        write_row(out, tc_sim_result_time(res, r), row, nvars);
    }
    if (rc != 0) {
        fprintf(stderr, "twincheck simulate: the simulation failed (%s): %s\n",
                tc_solver_status_name(rc), tc_sim_result_message(res));
        status = TC_EXIT_FINDINGS;
    }
    if (fflush(out) != 0 || ferror(out)) {
        fprintf(stderr, "twincheck simulate: cannot write the output\n");
        status = TC_EXIT_USAGE;
    }
cleanup:
    if (out != stdout)
        fclose(out);
    tc_sim_result_free(res);
    tc_system_free(sys);
    tc_sbml_sim_free(sim);
    tc_sbml_doc_free(doc);
    tc_findings_release(&fs);
    free(data);
    free(species);
    free(outs);
    free(row);
    free_words(vars, nvars);
    free_words(amounts, namounts);
    free_words(concs, nconcs);
    return status;
}

const tc_cli_command tc_cmd_simulate = {
    .name = "simulate",
    .synopsis = "MODEL --end T1 --steps N [--start T0] [--atol A] [--rtol R] [--vars LIST] "
                "[--amounts LIST] [--concentrations LIST] [--method bdf|rk45] [-o FILE]",
    .summary = "Simulate an SBML model's time course and write it as CSV.",
    .options = options,
    .run = run,
};
