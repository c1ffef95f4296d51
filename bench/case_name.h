/* Case names in oneDNN benchdnn's pooling problem-descriptor style:
 *   mb1ic64ih112iw112kh3kw3sh2sw2ph1pw1_max
 * fields mb, ic, ih, iw, kh, kw, sh, sw, ph, pw, then only when not default
 * dh, dw (benchdnn's convention: dilation - 1) and ceil1, then the mode:
 * _max, _min, _avg_p (count_include_pad), _avg_np (exclude padding), _softmax.
 * The short form may omit w fields (= h fields), stride (1), padding (0), mb (1). */
#ifndef POOLBENCH_CASE_NAME_H
#define POOLBENCH_CASE_NAME_H
#include <stddef.h>
#include "poolbench/pool.h"
#ifdef __cplusplus
extern "C" {
#endif

/* Fills p (layout left NCHW) and resolves it. 0, or -1 with one line in err. */
int pb_case_parse(const char *s, pb_params *p, char *err, size_t errlen);
/* The full form. */
void pb_case_format(const pb_params *p, char *buf, size_t len);

#ifdef __cplusplus
}
#endif
#endif
