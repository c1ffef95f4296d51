/* Thread and memory binding through hwloc, so a team of T threads runs on T
 * distinct cores, each thread's share of the data lies on its core's NUMA
 * node, and every run of a benchmark places both the same way. The cores
 * are those the process may run on when it starts (taskset, numactl, a
 * cpuset): a run limited to some cores counts and binds only those. */
#define _GNU_SOURCE
#include <hwloc.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "poolbench/registry.h"

static hwloc_topology_t topology;
static int n_cores;
/* Cores, or PUs where hwloc found no cores (a Linux without cpu topology in
 * sysfs, some containers and emulators): a machine still has its CPUs. */
static hwloc_obj_type_t core_type = HWLOC_OBJ_CORE;
/* Binding goes through hwloc to CPUs this process has: false where hwloc's
 * topology is not this system's (HWLOC_THISSYSTEM=0, or an XML or synthetic
 * topology whose CPUs the affinity mask is not among), where hwloc's binding
 * calls do nothing and report success, or fail. */
static bool can_bind;
static pthread_once_t loaded = PTHREAD_ONCE_INIT;

/* The CPUs the kernel lets this process run on, whatever hwloc was told. */
static int os_cpus(void)
{
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0)
        return CPU_COUNT(&set);
    /* More CPUs than a cpu_set_t holds (1024): those online, then. */
    const long online = sysconf(_SC_NPROCESSORS_ONLN);
    return online > 0 ? (int)online : 0;
}

static bool load_whole(void)
{
    return hwloc_topology_init(&topology) == 0 && hwloc_topology_load(topology) == 0;
}

static void load(void)
{
    if (!load_whole())
        return;
    can_bind = hwloc_topology_is_thissystem(topology);
    /* Before any binding of ours: the process's threads together may run
     * where its affinity mask lets them. */
    hwloc_bitmap_t allowed = hwloc_bitmap_alloc();
    const bool limited =
        allowed && hwloc_get_cpubind(topology, allowed, HWLOC_CPUBIND_PROCESS) == 0 && !hwloc_bitmap_iszero(allowed);
    bool ok = true;
    if (limited && hwloc_topology_restrict(topology, allowed, 0) != 0) {
        /* hwloc leaves the topology loaded when the mask misses it (EINVAL)
         * and reinitialises it on other failures: a fresh one either way.
         * The mask's CPUs are not in it, so its cores are not ours to bind. */
        hwloc_topology_destroy(topology);
        ok = load_whole();
        can_bind = false;
    }
    hwloc_bitmap_free(allowed);
    if (!ok)
        return;
    if (hwloc_get_nbobjs_by_type(topology, HWLOC_OBJ_CORE) <= 0)
        core_type = HWLOC_OBJ_PU;
    n_cores = hwloc_get_nbobjs_by_type(topology, core_type);
    /* No more cores than CPUs the kernel gives the process: hwloc may describe
     * another machine (HWLOC_XMLFILE, HWLOC_SYNTHETIC). */
    const int cpus = os_cpus();
    const int counted = n_cores;
    if (cpus > 0 && n_cores > cpus)
        n_cores = cpus;
    if (!can_bind)
        fprintf(stderr,
                "poolbench: hwloc's topology is not this machine's (%d cores; this process may use %d CPUs): "
                "counting %d cores, binding no thread\n",
                counted, cpus, n_cores);
    else if (n_cores < counted)
        fprintf(stderr, "poolbench: hwloc counts %d cores, more than the %d CPUs this process may use: counting %d\n",
                counted, cpus, n_cores);
}

int pb_core_count(void)
{
    pthread_once(&loaded, load);
    return n_cores;
}

static hwloc_obj_t core_obj(int core)
{
    pthread_once(&loaded, load);
    if (n_cores <= 0 || !can_bind)
        return NULL;
    return hwloc_get_obj_by_type(topology, core_type, (unsigned)(core % n_cores));
}

/* The core this thread last asked for and what binding to it returned: a
 * team's threads ask in every region, and where binding fails (no
 * permission) a system call in each would land in the timed region. */
static _Thread_local int asked_core = -1, asked_rc;

int pb_bind_thread_to_core(int core)
{
    if (core == asked_core)
        return asked_rc;
    hwloc_obj_t obj = core_obj(core);
    int rc = -1;
    if (obj != NULL) {
        hwloc_bitmap_t set = hwloc_bitmap_dup(obj->cpuset);
        hwloc_bitmap_singlify(set);
        rc = hwloc_set_cpubind(topology, set, HWLOC_CPUBIND_THREAD);
        hwloc_bitmap_free(set);
    }
    asked_core = core, asked_rc = rc;
    return rc;
}

static bool memory_binds;
static pthread_once_t memory_tried = PTHREAD_ONCE_INIT;

/* hwloc's support flags say what Linux has, not what this process may do:
 * a seccomp filter (containers without CAP_SYS_NICE) or an emulator
 * (qemu-user) refuses mbind. So one page is bound as a test. */
static void try_memory_binding(void)
{
    hwloc_obj_t core = core_obj(0);
    const size_t page = (size_t)sysconf(_SC_PAGESIZE);
    void *probe = core ? mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) : MAP_FAILED;
    if (probe == MAP_FAILED)
        return;
    memory_binds = hwloc_set_area_membind(topology, probe, page, core->nodeset, HWLOC_MEMBIND_BIND,
                                          HWLOC_MEMBIND_MIGRATE | HWLOC_MEMBIND_BYNODESET) == 0;
    munmap(probe, page);
}

bool pb_memory_binding_available(void)
{
    pthread_once(&memory_tried, try_memory_binding);
    return memory_binds;
}

int pb_bind_memory_to_core(const void *addr, size_t bytes, int core)
{
    if (!pb_memory_binding_available())
        return -1;
    const uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    const uintptr_t begin = ((uintptr_t)addr + page - 1) / page * page;
    const uintptr_t end = ((uintptr_t)addr + bytes + page - 1) / page * page;
    if (end <= begin)
        return 0;
    /* hwloc asks Linux for the node as a preference (MPOL_PREFERRED_MANY):
     * a full node gives pages elsewhere instead of failing the fault. */
    return hwloc_set_area_membind(topology, (void *)begin, end - begin, core_obj(core)->nodeset, HWLOC_MEMBIND_BIND,
                                  HWLOC_MEMBIND_MIGRATE | HWLOC_MEMBIND_BYNODESET);
}
