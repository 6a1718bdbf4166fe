// Persistent worker threads for fork/join loops. A job is published by bumping a 32-bit
// generation counter; idle workers spin on it for a short while (about 100 us), then sleep
// on it (futex on Linux, a condition variable elsewhere). Chunk w of a job is always the same
// range and is passed as worker index w (its scratch slot); chunks 1..n-1 are claimed with
// an atomic counter by whichever thread comes first, so the caller, after its chunk 0, runs
// the chunks of workers the OS has not scheduled yet instead of waiting for them. Nothing is
// allocated per job.
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>
#include "sw_internal.h"
#if defined(__linux__)
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>
#define SW_FUTEX 1
#else
#define SW_FUTEX 0
#endif

typedef struct sw_worker {
    struct sw_pool *pool;
    int index;
} sw_worker;

struct sw_pool {
    int numThreads;
    pthread_t *threads;
    sw_worker *workers;  // thread arguments; workers[0] unused (the caller)
    _Alignas(64) _Atomic uint32_t generation;
    _Atomic int sleepers;
    _Atomic int stop;
    _Alignas(64) _Atomic int pending;
    _Alignas(64) _Atomic int nextChunk;
    _Alignas(64) _Atomic int64_t workCounter;  // sw_pool_claim's shared counter, reset per loop
    _Alignas(64) sw_pool_body body;
    void *context;
    int64_t count;
    pthread_mutex_t callerMutex;
    // Join-wait timing (profiling only): written and read by the caller under callerMutex.
    int timeJoins;
    uint64_t joinWaitNs;
    uint64_t numTimedJoins;
#if !SW_FUTEX
    pthread_mutex_t mutex;
    pthread_cond_t cond;
#endif
};

static inline void sw_pause(void) {
#if SW_X86
    _mm_pause();
#elif defined(__aarch64__)
    __asm__ volatile("yield");
#endif
}

static uint64_t sw_now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/// The pool whose loop body this thread is running (to catch nested loops).
static _Thread_local const struct sw_pool *sw_running_pool;

int sw_pool_in_body(const sw_pool *p) { return sw_running_pool == p; }

static void sw_run_chunk(struct sw_pool *p, int w) {
    int64_t n = p->numThreads;
    int64_t start = p->count * w / n, end = p->count * (w + 1) / n;
    if (end <= start) return;
    const struct sw_pool *outer = sw_running_pool;
    sw_running_pool = p;
    p->body(p->context, start, end, w);
    sw_running_pool = outer;
}

/// Waits until the generation differs from `seen`; spins first, then sleeps.
static uint32_t sw_wait_generation(struct sw_pool *p, uint32_t seen) {
    uint64_t deadline = 0;
    for (int spins = 0;; spins++) {
        uint32_t g = atomic_load_explicit(&p->generation, memory_order_acquire);
        if (g != seen) return g;
        sw_pause();
        if ((spins & 255) != 255) continue;
        uint64_t now = sw_now_ns();
        if (deadline == 0) { deadline = now + 100000; continue; }
        if (now < deadline) continue;
        atomic_fetch_add(&p->sleepers, 1);
#if SW_FUTEX
        syscall(SYS_futex, &p->generation, FUTEX_WAIT_PRIVATE, seen, NULL, NULL, 0);
#else
        pthread_mutex_lock(&p->mutex);
        while (atomic_load(&p->generation) == seen) pthread_cond_wait(&p->cond, &p->mutex);
        pthread_mutex_unlock(&p->mutex);
#endif
        atomic_fetch_sub(&p->sleepers, 1);
        deadline = 0;
    }
}

/// Runs unclaimed chunks of the current job until none is left.
static void sw_claim_chunks(struct sw_pool *p) {
    for (;;) {
        int chunk = atomic_fetch_add_explicit(&p->nextChunk, 1, memory_order_acq_rel);
        if (chunk >= p->numThreads) return;
        sw_run_chunk(p, chunk);
        atomic_fetch_sub_explicit(&p->pending, 1, memory_order_release);
    }
}

static void *sw_worker_main(void *arg) {
    sw_worker *me = (sw_worker *)arg;
    struct sw_pool *p = me->pool;
    uint32_t seen = 0;
    for (;;) {
        seen = sw_wait_generation(p, seen);
        if (atomic_load_explicit(&p->stop, memory_order_acquire)) return NULL;
        sw_claim_chunks(p);
    }
}

static void sw_publish(struct sw_pool *p) {
    atomic_fetch_add(&p->generation, 1);  // sequentially consistent: ordered before the load
    if (atomic_load(&p->sleepers) > 0) {
#if SW_FUTEX
        syscall(SYS_futex, &p->generation, FUTEX_WAKE_PRIVATE, 0x7fffffff, NULL, NULL, 0);
#else
        pthread_mutex_lock(&p->mutex);
        pthread_cond_broadcast(&p->cond);
        pthread_mutex_unlock(&p->mutex);
#endif
    }
}

sw_pool *sw_pool_create(int numThreads) {
    if (numThreads < 1) numThreads = 1;
    struct sw_pool *p = aligned_alloc(64, (sizeof(struct sw_pool) + 63) / 64 * 64);
    if (!p) return NULL;
    memset(p, 0, sizeof *p);
    p->numThreads = numThreads;
    pthread_mutex_init(&p->callerMutex, NULL);
#if !SW_FUTEX
    pthread_mutex_init(&p->mutex, NULL);
    pthread_cond_init(&p->cond, NULL);
#endif
    p->threads = calloc((size_t)numThreads, sizeof(pthread_t));
    p->workers = calloc((size_t)numThreads, sizeof(sw_worker));
    if (!p->threads || !p->workers) { free(p->threads); free(p->workers); free(p); return NULL; }
    for (int i = 1; i < numThreads; i++) {
        p->workers[i].pool = p;
        p->workers[i].index = i;
        if (pthread_create(&p->threads[i], NULL, sw_worker_main, &p->workers[i]) != 0) {
            p->numThreads = i;  // run with the threads that did start
            break;
        }
    }
    return p;
}

int64_t sw_pool_claim(sw_pool *p, int64_t step) {
    return atomic_fetch_add_explicit(&p->workCounter, step, memory_order_relaxed);
}

int sw_pool_num_threads(const sw_pool *p) { return p ? p->numThreads : 1; }

void sw_pool_destroy(sw_pool *p) {
    if (!p) return;
    atomic_store(&p->stop, 1);
    sw_publish(p);
    for (int i = 1; i < p->numThreads; i++) pthread_join(p->threads[i], NULL);
#if !SW_FUTEX
    pthread_mutex_destroy(&p->mutex);
    pthread_cond_destroy(&p->cond);
#endif
    pthread_mutex_destroy(&p->callerMutex);
    free(p->threads);
    free(p->workers);
    free(p);
}

void sw_pool_lock(sw_pool *p) { pthread_mutex_lock(&p->callerMutex); }
void sw_pool_unlock(sw_pool *p) { pthread_mutex_unlock(&p->callerMutex); }

void sw_pool_run(sw_pool *p, int64_t count, sw_pool_body body, void *context) {
    if (count <= 0) return;
    atomic_store_explicit(&p->workCounter, 0, memory_order_relaxed);
    if (p->numThreads == 1) {
        const struct sw_pool *outer = sw_running_pool;
        sw_running_pool = p;
        body(context, 0, count, 0);
        sw_running_pool = outer;
        return;
    }
    p->body = body;
    p->context = context;
    p->count = count;
    atomic_store_explicit(&p->pending, p->numThreads - 1, memory_order_relaxed);
    atomic_store_explicit(&p->nextChunk, 1, memory_order_release);  // after the job fields
    sw_publish(p);
    sw_run_chunk(p, 0);
    sw_claim_chunks(p);
    // Only chunks already running on other threads remain.
    uint64_t waitStart = p->timeJoins ? sw_now_ns() : 0;
    for (int spins = 0; atomic_load_explicit(&p->pending, memory_order_acquire) != 0; spins++) {
        if (spins < 4000) sw_pause(); else sched_yield();
    }
    if (p->timeJoins) {
        p->joinWaitNs += sw_now_ns() - waitStart;
        p->numTimedJoins += 1;
    }
}

void sw_pool_set_join_timing(sw_pool *p, int enabled) { p->timeJoins = enabled != 0; }
uint64_t sw_pool_join_wait_ns(const sw_pool *p) { return p->joinWaitNs; }
uint64_t sw_pool_num_timed_joins(const sw_pool *p) { return p->numTimedJoins; }
