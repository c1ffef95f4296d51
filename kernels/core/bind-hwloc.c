/* Thread binding through hwloc, so a team of T threads runs on T distinct cores
 * and every run of a benchmark places its threads the same way. The cores
 * are those the process may run on when it starts (taskset, numactl, a
 * cpuset): a run limited to some cores counts and binds only those. */
#include <hwloc.h>
#include <pthread.h>

#include "poolbench/registry.h"

static hwloc_topology_t topology;
static int n_cores;
static pthread_once_t loaded = PTHREAD_ONCE_INIT;

static void load(void)
{
    if (hwloc_topology_init(&topology) != 0 || hwloc_topology_load(topology) != 0)
        return;
    /* Before any binding of ours: the process's threads together may run
     * where its affinity mask lets them. */
    hwloc_bitmap_t allowed = hwloc_bitmap_alloc();
    const bool limited =
        allowed && hwloc_get_cpubind(topology, allowed, HWLOC_CPUBIND_PROCESS) == 0 && !hwloc_bitmap_iszero(allowed);
    /* A restriction that fails leaves the topology unloaded (hwloc's rule):
     * the whole machine then, loaded again. */
    const bool ok = !limited || hwloc_topology_restrict(topology, allowed, 0) == 0 || hwloc_topology_load(topology) == 0;
    hwloc_bitmap_free(allowed);
    if (ok)
        n_cores = hwloc_get_nbobjs_by_type(topology, HWLOC_OBJ_CORE);
}

int pb_core_count(void)
{
    pthread_once(&loaded, load);
    return n_cores;
}

int pb_bind_thread_to_core(int core)
{
    pthread_once(&loaded, load);
    if (n_cores <= 0)
        return -1;
    hwloc_obj_t obj = hwloc_get_obj_by_type(topology, HWLOC_OBJ_CORE, (unsigned)(core % n_cores));
    hwloc_bitmap_t set = hwloc_bitmap_dup(obj->cpuset);
    hwloc_bitmap_singlify(set);
    int rc = hwloc_set_cpubind(topology, set, HWLOC_CPUBIND_THREAD);
    hwloc_bitmap_free(set);
    return rc;
}
