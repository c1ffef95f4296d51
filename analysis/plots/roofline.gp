# Roofline from `poolbench report`: measured roofs (the STREAM-like bandwidth
# of each cache level and DRAM, the peak max/compare throughput) and every
# benchmark at its operational intensity. CSV: series,x,y (x ops/byte, y GOPS).
# Variables: csv out fmt title xlabel ylabel series peak levels (names) bw_N (GB/s of level N)
#            xmin xmax (x range, decades around the data)
set datafile separator ','
if (fmt eq 'svg') {
    set terminal svg size 1000, 640 dynamic enhanced font 'Sans,11' background '#ffffff'
} else {
    set terminal pngcairo size 1000, 640 enhanced font 'Sans,10' background '#ffffff'
}
set output out
array palette[12] = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', \
                     '#bcbd22', '#17becf', '#000000', '#aec7e8']
ci(s) = words(substr(' ' . series . ' ', 1, strstrt(' ' . series . ' ', ' ' . s . ' ')))
colour(s) = palette[ci(s) % 12 + 1]
set title title font ',13' noenhanced
set xlabel xlabel
set ylabel ylabel
set logscale xy
set grid lc rgb '#dddddd'
set key outside right top vertical font ',9' noenhanced
set samples 400
roof(x, bw) = bw * x < peak ? bw * x : peak
nl = words(levels)
set label sprintf('peak %.1f GOPS', peak) at xmax / 8, peak * 1.25 left font ',9' tc rgb '#555555'
set xrange [xmin:xmax]
set format x '10^{%L}'
set format y '10^{%L}'
plot for [l = 1:nl] roof(x, value(sprintf('bw_%d', l))) with lines dt 1 + l lw 1.2 lc rgb '#555555' \
         title sprintf('%s roof, %.0f GB/s', word(levels, l), value(sprintf('bw_%d', l))), \
     for [s in series] csv using (strcol(1) eq s ? $2 : NaN):3 with points pt (ci(s) % 13 + 1) ps 1.2 \
         lc rgb colour(s) title s
