/* poolbench's analysis subcommands: report (one run, or several machines side
 * by side) and compare (regression verdicts between two runs). */
#ifndef POOLBENCH_ANALYSIS_H
#define POOLBENCH_ANALYSIS_H
#include <stddef.h>
#ifdef __cplusplus
extern "C" {
#endif

int pb_cmd_report(int argc, char **argv);
int pb_cmd_compare(int argc, char **argv);

/* "812 ns", "12.3 us", "4.56 ms", "1.20 s" */
void pb_fmt_time(double ns, char *buf, size_t len);
/* "32 KiB", "1.5 MiB", "2.0 GiB" */
void pb_fmt_bytes(double bytes, char *buf, size_t len);

#ifdef __cplusplus
}
#endif
#endif
