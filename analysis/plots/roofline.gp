# Roofline from `poolbench report`: measured roofs (the STREAM-like bandwidth
# of each cache level and DRAM, the peak max/compare throughput) and every
# benchmark at its operational intensity, a panel per layout.
# CSV: panel,series,x,y (x model ops per byte, y G model ops/s).
# Variables: csv out fmt title xlabel ylabel series panels pseries_N peak levels (names)
#            bw_N (GB/s of level N) xmin xmax (x range, decades around the data)
set datafile separator ','
np = words(panels)
if (fmt eq 'svg') {
    set terminal svg size 1000, 600 * np + 40 dynamic enhanced font 'Sans,11' background '#ffffff'
} else {
    set terminal pngcairo size 1000, 600 * np + 40 enhanced font 'Sans,10' background '#ffffff'
}
set output out
array palette[12] = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', \
                     '#bcbd22', '#17becf', '#000000', '#aec7e8']
ci(s) = words(substr(' ' . series . ' ', 1, strstrt(' ' . series . ' ', ' ' . s . ' ')))
colour(s) = palette[ci(s) % 12 + 1]
set xlabel xlabel
set ylabel ylabel
set logscale xy
set format x '10^{%L}'
set format y '10^{%L}'
set grid lc rgb '#dddddd'
set key outside right top vertical font ',9' noenhanced
set samples 400
set xrange [xmin:xmax]
roof(x, bw) = bw * x < peak ? bw * x : peak
nl = words(levels)
set label 1 sprintf('peak %.1f GOPS', peak) at xmax / 8, peak * 1.25 left font ',9' tc rgb '#555555'
set multiplot layout np, 1 title title font ',13' noenhanced
do for [i = 1:np] {
    p = word(panels, i)
    ps = value(sprintf('pseries_%d', i))
    set title p noenhanced
    plot for [l = 1:nl] roof(x, value(sprintf('bw_%d', l))) with lines dt 1 + l lw 1.2 lc rgb '#555555' \
             title sprintf('%s roof, %.0f GB/s', word(levels, l), value(sprintf('bw_%d', l))), \
         for [s in ps] csv using (strcol(1) eq p && strcol(2) eq s ? $3 : NaN):4 with points \
             pt (ci(s) % 13 + 1) ps 1.2 lc rgb colour(s) title s
}
unset multiplot
