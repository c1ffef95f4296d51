/* The team family: the simd kernels split as openmp splits them (see
 * core/split.h), over a team of threads of our own that wait for a call by
 * spinning on a cache line each. A call hands each member its share in that
 * line and reads the member's answer from the next: a line each way, where
 * an OpenMP region moves several. On the Zen 5 VM (2 vCPUs), in one process,
 * 2026-12-05: an empty hand-over to two threads 0.37-0.44 us, an empty
 * region of LLVM's libomp 1.49-1.60 us (gcc's libgomp 3.4, pthreadpool's
 * parallelize_1d 1.3 the same hour). Spinning without a pause read 7.5-8.9
 * us. Members that find no call for PB_TEAM_SPIN_NS sleep on a condition
 * variable, as OpenMP's threads do after their blocktime. */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../core/split.h"
#include "team.h"

/* Members beyond this many are not started: larger teams run with this many.
 * As many as --threads allows (run, check): a team smaller than asked for
 * would be recorded with the count asked for. */
#define PB_TEAM_MAX 4096
/* How long a member spins for its next call before it sleeps. */
#define PB_TEAM_SPIN_NS 20000000
/* A thread per this much input plus output: AlexNet 256x13x13 (205 KB) took
 * 1.25-1.27x at two threads (the one-thread-per-160-KiB bound of openmp,
 * whose region costs four times as much, keeps it on one). */
#define PB_TEAM_MIN_BYTES_PER_THREAD (32 * 1024)

/* One member: the call it is handed (pending while call != done) in one
 * cache line, which only the caller writes, and its answer in the next, which
 * only the member writes. */
typedef struct {
    _Alignas(64) atomic_uint_fast64_t call;
    const pb_params *p;
    const float *in;
    float *out;
    int64_t nt;
    atomic_bool sleeping;
    _Alignas(64) atomic_uint_fast64_t done;
    int failed;
} pb_team_member;

static pb_team_member members[PB_TEAM_MAX];
static int started = 1; /* member 0 is the caller */
static uint64_t calls;
static pthread_mutex_t call_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t sleep_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;

static inline void spin_pause(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ volatile("yield");
#endif
}

static int64_t now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

/* The next call handed to m after `seen`: spun for, then slept for. */
static uint64_t await_call(pb_team_member *m, uint64_t seen)
{
    for (int64_t deadline = 0;;) {
        for (int i = 0; i < 1024; ++i) {
            const uint64_t call = atomic_load_explicit(&m->call, memory_order_acquire);
            if (call != seen)
                return call;
            spin_pause();
        }
        /* Where members outnumber the cores, one that waits lets another run. */
        sched_yield();
        const int64_t t = now_ns();
        if (deadline == 0)
            deadline = t + PB_TEAM_SPIN_NS;
        if (t < deadline)
            continue;
        pthread_mutex_lock(&sleep_lock);
        atomic_store(&m->sleeping, true);
        while (atomic_load(&m->call) == seen)
            pthread_cond_wait(&wake, &sleep_lock);
        atomic_store(&m->sleeping, false);
        pthread_mutex_unlock(&sleep_lock);
        deadline = 0;
    }
}

static void *member_main(void *arg)
{
    pb_team_member *m = arg;
    pb_bind_thread_to_core((int)(m - members));
    for (uint64_t seen = atomic_load(&m->done);;) {
        seen = await_call(m, seen);
        m->failed = m->p ? pb_split_run_share(m->p, m->in, m->out, m - members, m->nt) : 0;
        atomic_store_explicit(&m->done, seen, memory_order_release);
    }
    return NULL;
}

/* A child of fork() has none of its parent's members: it starts its own. */
static void forget_members(void) { started = 1; }
static void forget_members_at_fork(void) { pthread_atfork(NULL, NULL, forget_members); }

/* Starts members up to index team - 1; returns the team size that runs. */
static int start_members(int team)
{
    static pthread_once_t at_fork = PTHREAD_ONCE_INIT;
    pthread_once(&at_fork, forget_members_at_fork);
    for (; started < team; ++started) {
        pthread_t thread;
        pthread_attr_t attr;
        pthread_attr_init(&attr);
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        const int rc = pthread_create(&thread, &attr, member_main, &members[started]);
        pthread_attr_destroy(&attr);
        if (rc != 0) {
            static bool warned;
            if (!warned)
                fprintf(stderr, "poolbench: team: cannot start member %d (%s): a team of %d runs with %d\n",
                        started, strerror(rc), team, started);
            warned = true;
            break;
        }
    }
    return team < started ? team : started;
}

/* Runs share t of `team` (at most PB_TEAM_MAX) of p on member t, the
 * caller's share on the caller; p NULL hands over an empty call. Returns
 * nonzero when a share failed. */
static int hand_over(int team, const pb_params *p, const float *in, float *out)
{
    pb_bind_thread_to_core(0); /* the caller is member 0 */
    pthread_mutex_lock(&call_lock);
    team = start_members(team < PB_TEAM_MAX ? team : PB_TEAM_MAX);
    const uint64_t call = ++calls;
    for (int t = 1; t < team; ++t) {
        pb_team_member *m = &members[t];
        m->p = p, m->in = in, m->out = out, m->nt = team;
        atomic_store(&m->call, call);
        if (atomic_load(&m->sleeping)) {
            pthread_mutex_lock(&sleep_lock);
            pthread_cond_broadcast(&wake);
            pthread_mutex_unlock(&sleep_lock);
        }
    }
    int failed = p ? pb_split_run_share(p, in, out, 0, team) : 0;
    for (int t = 1; t < team; ++t) {
        for (int spins = 1; atomic_load_explicit(&members[t].done, memory_order_acquire) != call; ++spins)
            if (spins % 1024 == 0)
                sched_yield();
            else
                spin_pause();
        failed |= members[t].failed;
    }
    pthread_mutex_unlock(&call_lock);
    return failed;
}

int pb_team_run(const pb_params *p, const float *in, float *out, const pb_ctx *ctx)
{
    const int cores = pb_core_count() > 0 ? pb_core_count() : 1;
    const int team = pb_split_team_size(p, ctx, cores, PB_TEAM_MIN_BYTES_PER_THREAD);
    if (team == 1)
        return pb_split_run_share(p, in, out, 0, 1) != 0 ? -1 : 0;
    return hand_over(team, p, in, out) ? -1 : 0;
}

void pb_team_empty_calls(int threads, int64_t count)
{
    for (int64_t i = 0; i < count; ++i)
        hand_over(threads, NULL, NULL, NULL);
}
