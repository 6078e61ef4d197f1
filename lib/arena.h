/* arena.h - a memory pool freed in one go (one per HTTP request, per job run).
 *
 * Allocations are never freed one by one.  Cleanup hooks run in reverse
 * order of registration when the arena is released, so a handler can tie a
 * statement or a jansson value to the request and forget about it.
 * arena_alloc never returns NULL: running out of memory aborts, because a
 * half-served request is worse than a restarted process. */
#ifndef KF_ARENA_H
#define KF_ARENA_H

#include <stddef.h>

typedef struct arena arena;

arena *arena_new(void);
void arena_free(arena *a);
void *arena_alloc(arena *a, size_t n);
void *arena_zalloc(arena *a, size_t n);
char *arena_strdup(arena *a, const char *s);
char *arena_strndup(arena *a, const char *s, size_t n);
char *arena_printf(arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void arena_on_release(arena *a, void (*fn)(void *), void *arg);
/* Frees the calling thread's cached block now (it is also freed when the
 * thread exits); for the main thread before exit, and for tests. */
void arena_thread_release(void);

#endif
