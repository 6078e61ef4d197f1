#include "lib/arena.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/common.h"

struct block {
	struct block *next;
	size_t used, size;
	max_align_t data[];
};

struct hook {
	struct hook *next;
	void (*fn)(void *);
	void *arg;
};

struct arena {
	struct block *head;
	struct hook *hooks;
};

enum { ARENA_BLOCK = 8192 };

/* One standard block and one arena header kept per thread: a server
 * thread then serves request after request without touching malloc for
 * the arena itself. */
static __thread struct block *spare_block;
static __thread arena *spare_arena;
static pthread_key_t spare_key;
static pthread_once_t spare_once = PTHREAD_ONCE_INIT;

static void spare_free(void *unused)
{
	(void)unused;
	free(spare_block);
	free(spare_arena);
	spare_block = NULL;
	spare_arena = NULL;
}

static void spare_key_make(void)
{
	pthread_key_create(&spare_key, spare_free);
}

/* Makes sure the thread's spares are freed when it exits. */
static void spare_watch(void)
{
	pthread_once(&spare_once, spare_key_make);
	if (!pthread_getspecific(spare_key))
		pthread_setspecific(spare_key, (void *)1);
}

void arena_thread_release(void)
{
	spare_free(NULL);
}

static void *xmalloc(size_t n)
{
	void *p = malloc(n);
	if (!p) {
		fputs("kefu: out of memory\n", stderr);
		abort();
	}
	return p;
}

arena *arena_new(void)
{
	arena *a = spare_arena ? spare_arena : xmalloc(sizeof(*a));
	spare_arena = NULL;
	a->head = NULL;
	a->hooks = NULL;
	return a;
}

void arena_free(arena *a)
{
	if (!a)
		return;
	for (struct hook *h = a->hooks; h; h = h->next)
		h->fn(h->arg);
	struct block *b = a->head;
	while (b) {
		struct block *n = b->next;
		if (!spare_block && b->size == ARENA_BLOCK)
			spare_block = b;
		else
			free(b);
		b = n;
	}
	if (!spare_arena)
		spare_arena = a;
	else
		free(a);
	spare_watch();
}

void *arena_alloc(arena *a, size_t n)
{
	if (n > SIZE_MAX / 2) {
		fputs("kefu: allocation too large\n", stderr);
		abort();
	}
	n = (n + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);
	struct block *b = a->head;
	if (!b || b->size - b->used < n) {
		size_t size = n > ARENA_BLOCK ? n : ARENA_BLOCK;
		if (size == ARENA_BLOCK && spare_block) {
			b = spare_block;
			spare_block = NULL;
		} else {
			b = xmalloc(sizeof(*b) + size);
		}
		b->used = 0;
		b->size = size;
		/* A large one-off block goes second, so the current small one
		 * keeps serving small allocations. */
		if (a->head && n > ARENA_BLOCK) {
			b->next = a->head->next;
			a->head->next = b;
		} else {
			b->next = a->head;
			a->head = b;
		}
	}
	void *p = (char *)b->data + b->used;
	b->used += n;
	return p;
}

void *arena_zalloc(arena *a, size_t n)
{
	void *p = arena_alloc(a, n);
	memset(p, 0, n);
	return p;
}

char *arena_strndup(arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(arena *a, const char *s)
{
	return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

char *arena_printf(arena *a, const char *fmt, ...)
{
	va_list ap, cp;
	va_start(ap, fmt);
	va_copy(cp, ap);
	int n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	char *p = arena_alloc(a, (size_t)(n < 0 ? 0 : n) + 1);
	vsnprintf(p, (size_t)(n < 0 ? 0 : n) + 1, fmt, ap);
	va_end(ap);
	return p;
}

void arena_on_release(arena *a, void (*fn)(void *), void *arg)
{
	struct hook *h = arena_alloc(a, sizeof(*h));
	h->fn = fn;
	h->arg = arg;
	h->next = a->hooks;
	a->hooks = h;
}
