/* The CSV reader of validator/outputs: the plain table and the report form. */
#include "fuzz.h"
#include "outputs/outputs.h"

TC_FUZZ_TARGET(csv)
{
    tc_findings fs;
    tc_findings_init(&fs);
    tc_csv csv;
    if (tc_csv_parse(&csv, data, size, "data.csv", "sedml:output-unreadable", &fs) == 0) {
        if (csv.ncols)
            tc_csv_column(&csv, csv.header[csv.ncols - 1]);
        tc_csv_release(&csv);
    }
    tc_package *pkg = tc_fuzz_package("report.csv", TC_KIND_CSV, data, size);
    tc_outputs out;
    tc_outputs_init(&out, pkg->files[0].path);
    tc_outputs_read_csv(&out, &pkg->files[0], "simulation.sedml", "report", &fs);
    tc_outputs_release(&out);
    tc_fuzz_package_free(pkg);
    tc_findings_release(&fs);
    return 0;
}
