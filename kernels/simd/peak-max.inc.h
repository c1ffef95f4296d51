/* The roofline's compute roof: vector maxima on values held in registers,
 * PB_PEAK_CHAINS independent chains (more than latency x throughput needs on
 * current cores), no loads or stores, so only the max units bound the rate.
 * A kernel that does every tap the model counts also loads each one, so only
 * one doing fewer operations (separable, vhgw) can beat this roof. */
#include "vec.h"

#define PB_PEAK_CHAINS 12

/* An empty asm that, as far as the compiler knows, reads and changes x. */
#if PB_VLEN > 1 && (defined(__x86_64__) || defined(__i386__))
#define PB_OPAQUE(x) __asm__ volatile("" : "+v"(x))
#else
#define PB_OPAQUE(x) __asm__ volatile("" : "+m"(x))
#endif

/* Runs iters rounds; returns the number of lane maxima done. */
static int64_t peak_max(int64_t iters)
{
    pb_vf acc[PB_PEAK_CHAINS];
    pb_vf v = pb_vset1(0.5f);
    for (int c = 0; c < PB_PEAK_CHAINS; ++c)
        acc[c] = pb_vset1((float)c);
    for (int64_t i = 0; i < iters; ++i) {
        /* v, as far as the compiler knows, changes every round: no folding
         * of max(max(a, v), v) into max(a, v), and no instruction either. */
        PB_OPAQUE(v);
        for (int c = 0; c < PB_PEAK_CHAINS; ++c)
            acc[c] = pb_vmax(acc[c], v);
    }
    pb_vf all = acc[0];
    for (int c = 1; c < PB_PEAK_CHAINS; ++c)
        all = pb_vmax(all, acc[c]);
    PB_OPAQUE(all); /* the chains are not dead code */
    return iters * PB_PEAK_CHAINS * PB_VLEN;
}
