# Panels of series from a long CSV (panel,series,x,y,label) written by
# `poolbench report`; one script for every lines/points figure so that they
# all look alike. Variables (gnuplot -e):
#   csv out fmt            input CSV, output file, 'png' or 'svg'
#   title xlabel ylabel    figure title (what, on which machine) and axis labels with units
#   logx logy              1 for a log axis
#   panels                 space-separated panel keys; ptitle_N / pseries_N: title and series of panel N
#   series                 every series, in the order that fixes its colour
#   style                  'linespoints' or 'points'
#   xlabels                1: categorical x = 0, 1, ...; nticks_N and tick_N_J: panel N's tick labels
#   markers marker_names   optional vertical lines (x positions) and their names, drawn where they
#                          fall inside the panel's x range
#   xmin_N xmax_N          optional x range of panel N
#   ideal                  1: draw y = x (perfect scaling)
#   hline                  optional horizontal reference line at this y
#   cols                   panels per row
#   tick_chars             longest tick label (categorical x), to leave room under the axis
set datafile separator ','
if (!exists('xlabel')) xlabel = ''
if (!exists('cols')) cols = 2
if (!exists('style')) style = 'linespoints'
if (!exists('xlabels')) xlabels = 0
if (!exists('ideal')) ideal = 0
if (!exists('markers')) markers = ''
if (!exists('tick_chars')) tick_chars = 20
if (!exists('marker_names')) marker_names = ''
np = words(panels)
ncols = np < cols ? np : cols
nrows = (np + ncols - 1) / ncols
pw = xlabels ? 900 : 640
# Tick labels at 50 degrees need about 0.3 line heights per character below the axis.
tick_lines = int(tick_chars * 0.3) + 2
ph = xlabels ? 420 + 12 * tick_lines : 460
if (fmt eq 'svg') {
    set terminal svg size pw * ncols, ph * nrows + 40 dynamic enhanced font 'Sans,11' background '#ffffff'
} else {
    set terminal pngcairo size pw * ncols, ph * nrows + 40 enhanced font 'Sans,10' background '#ffffff'
}
set output out
# Twelve distinguishable colours, then the point type tells series apart.
array palette[12] = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', \
                     '#bcbd22', '#17becf', '#000000', '#aec7e8']
ci(s) = words(substr(' ' . series . ' ', 1, strstrt(' ' . series . ' ', ' ' . s . ' ')))
colour(s) = palette[ci(s) % 12 + 1]
set grid lc rgb '#dddddd'
set key outside right top vertical font ',9' noenhanced
set xlabel xlabel
set ylabel ylabel
if (logx) { set logscale x; set format x '10^{%L}' }
if (logy) { set logscale y; set format y (exists('hline') ? '%g' : '10^{%L}') }
if (xlabels) { set xtics rotate by 50 right font ',8' noenhanced; set bmargin tick_lines; set lmargin 16; set xlabel '' }
set multiplot layout nrows, ncols title title font ',13' noenhanced
do for [i = 1:np] {
    p = word(panels, i)
    set title (exists(sprintf('ptitle_%d', i)) ? value(sprintf('ptitle_%d', i)) : p) noenhanced
    ps = exists(sprintf('pseries_%d', i)) ? value(sprintf('pseries_%d', i)) : series
    unset arrow
    unset label
    has_range = exists(sprintf('xmin_%d', i))
    if (has_range) {
        lo = value(sprintf('xmin_%d', i))
        hi = value(sprintf('xmax_%d', i))
        set xrange [lo:hi]
    } else {
        set autoscale x
    }
    do for [m = 1:words(markers)] {
        mx = word(markers, m) + 0
        if (!has_range || (mx >= lo && mx <= hi)) {
            set arrow from mx, graph 0 to mx, graph 1 nohead dt 2 lc rgb '#555555'
            set label word(marker_names, m) at mx, graph 0.97 left offset 0.3, 0 font ',9' tc rgb '#555555'
        }
    }
    if (exists('hline')) {
        set arrow from graph 0, first hline to graph 1, first hline nohead dt 3 lc rgb '#555555'
    }
    if (xlabels) {
        nt = value(sprintf('nticks_%d', i))
        set xtics ()
        do for [j = 1:nt] { set xtics add (value(sprintf('tick_%d_%d', i, j)) j - 1) }
        set xrange [-0.5:nt - 0.5]
        plot for [s in ps] csv using (strcol(1) eq p && strcol(2) eq s ? $3 : NaN):4 \
             with @style lc rgb colour(s) pt (ci(s) % 13 + 1) ps 1.2 title s
    } else {
        if (ideal) {
            plot for [s in ps] csv using (strcol(1) eq p && strcol(2) eq s ? $3 : NaN):4 \
                 with @style lc rgb colour(s) pt (ci(s) % 13 + 1) lw 1.5 title s, \
                 x with lines dt 2 lc rgb '#555555' title 'ideal'
        } else {
            plot for [s in ps] csv using (strcol(1) eq p && strcol(2) eq s ? $3 : NaN):4 \
                 with @style lc rgb colour(s) pt (ci(s) % 13 + 1) lw 1.5 title s
        }
    }
}
unset multiplot
