/* A plot = a CSV that the analysis writes + one of the gnuplot scripts in
 * analysis/plots/, rendered to DIR/BASE.png and DIR/BASE.svg. The CSV stays
 * beside them so the figure can be redrawn or re-plotted elsewhere. Every
 * file appears whole or not at all. */
#ifndef POOLBENCH_ANALYSIS_PLOT_H
#define POOLBENCH_ANALYSIS_PLOT_H
#include <stdio.h>

#include "io/atomic_file.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    char dir[PATH_MAX];
    char base[64];
    pb_atomic_file csv;
    char vars[65536]; /* gnuplot assignments passed with -e */
    size_t vars_len;
    int rows;
    int tick_chars; /* longest categorical tick label: the room the axis needs */
} pb_plot;

/* Opens DIR/BASE.csv and writes the header line. */
int pb_plot_begin(pb_plot *pl, const char *dir, const char *base, const char *header, char *err, size_t errlen);
/* One CSV line; count it so an empty plot can be refused. */
void pb_plot_row(pb_plot *pl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A gnuplot string variable (quoted for gnuplot) or number. */
void pb_plot_str(pb_plot *pl, const char *name, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void pb_plot_num(pb_plot *pl, const char *name, double v);
/* A categorical figure for lines.gp: points over x = 0, 1, ... (labels from
 * pb_plot_tick), panels stacked in one column, a log y axis. */
void pb_plot_categorical(pb_plot *pl);
/* Tick label number index (from 0) of panel (from 1) on a categorical x axis. */
void pb_plot_tick(pb_plot *pl, int panel, int index, const char *label);
/* Commits the CSV and renders SCRIPT (a file name in the plots directory) to
 * PNG and SVG. -1 with err when there were no rows, gnuplot is missing or fails,
 * or an output came out empty. */
int pb_plot_render(pb_plot *pl, const char *script, char *err, size_t errlen);
void pb_plot_abort(pb_plot *pl);

/* Appends word to a space-separated list (series and panel names) unless it
 * is there already or does not fit whole. */
void pb_word_add(char *list, size_t len, const char *word);
/* Sorts the list's words (strcmp order) in place. */
void pb_word_sort(char *list);
/* Position of word in the list, or -1. */
int pb_word_index(const char *list, const char *word);
/* Copies the next word of list into buf; returns where to go on, NULL at the end:
 *   for (const char *s = list; (s = pb_word_next(s, w, sizeof w));) ... */
const char *pb_word_next(const char *list, char *buf, size_t len);

#ifdef __cplusplus
}
#endif
#endif
