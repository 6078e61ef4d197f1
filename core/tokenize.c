/* tokenize.c - normalisation, ICU word segmentation and CJK bigrams; see
 * tokenize.h for the token rules this file implements. */
#include "core/tokenize.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ubrk.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utext.h>
#include <unicode/utf8.h>
#include <unicode/utrans.h>

#include "lib/common.h"

/* ------------------------------------------------------------------ T→S */

enum { HAN_LO = 0x3400, HAN_HI = 0x9FFF };

static uint16_t t2s_table[HAN_HI - HAN_LO + 1]; /* 0: unchanged */
static pthread_once_t t2s_once = PTHREAD_ONCE_INIT;
static const UNormalizer2 *nfkc_cf;

/* One call of the transliterator over every ideograph of the table's
 * range, one per line; a line that comes back as another single ideograph
 * is a table entry.  A line that comes back longer would need context, and
 * is left out (ICU 72 has none in this range). */
static void t2s_build(void)
{
	UErrorCode e = U_ZERO_ERROR;
	nfkc_cf = unorm2_getNFKCCasefoldInstance(&e);
	if (U_FAILURE(e))
		nfkc_cf = NULL;
	e = U_ZERO_ERROR;
	UChar id[32];
	u_uastrcpy(id, "Traditional-Simplified");
	UTransliterator *tr = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &e);
	if (U_FAILURE(e))
		return;
	int32_t n = 0, cap = 2 * (HAN_HI - HAN_LO + 1) * 2 + 64;
	UChar *u = malloc((size_t)cap * sizeof(UChar));
	if (!u) {
		utrans_close(tr);
		return;
	}
	for (int c = HAN_LO; c <= HAN_HI; c++) {
		u[n++] = (UChar)c;
		u[n++] = '\n';
	}
	int32_t limit = n;
	utrans_transUChars(tr, u, &n, cap, 0, &limit, &e);
	if (U_SUCCESS(e)) {
		int src = HAN_LO, start = 0;
		for (int32_t i = 0; i < n && src <= HAN_HI; i++) {
			if (u[i] != '\n')
				continue;
			if (i - start == 1 && u[start] != src && u[start] >= 0x3400)
				t2s_table[src - HAN_LO] = u[start];
			start = i + 1;
			src++;
		}
	}
	free(u);
	utrans_close(tr);
}

static UChar32 t2s(UChar32 c)
{
	if (c >= HAN_LO && c <= HAN_HI && t2s_table[c - HAN_LO])
		return t2s_table[c - HAN_LO];
	return c;
}

static int is_cjk(UChar32 c)
{
	return (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) ||
	       (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x3FFFF) ||
	       (c >= 0x3040 && c <= 0x30FF) || (c >= 0x31F0 && c <= 0x31FF) || c == 0x3005 ||
	       c == 0x3007;
}

/* ------------------------------------------------------------------ per thread */

struct run_char {
	int a, b; /* bytes in the normalised text */
};

struct run_word {
	int first, count; /* characters of the run */
};

struct tls {
	UBreakIterator *bi;
	char *n;            /* normalised text */
	int *ostart, *oend; /* per byte of n: the original span of its character */
	size_t ncap, nlen;
	struct run_char *rc;
	struct run_word *rw;
	size_t rccap, rwcap;
	char word[TOK_MAX_BYTES + 8];
};

static pthread_key_t tls_key;
static pthread_once_t tls_once = PTHREAD_ONCE_INIT;

static void tls_free(void *p)
{
	struct tls *t = p;
	if (!t)
		return;
	if (t->bi)
		ubrk_close(t->bi);
	free(t->n);
	free(t->ostart);
	free(t->oend);
	free(t->rc);
	free(t->rw);
	free(t);
}

static void tls_key_make(void)
{
	pthread_key_create(&tls_key, tls_free);
}

static struct tls *tls_get(void)
{
	pthread_once(&tls_once, tls_key_make);
	pthread_once(&t2s_once, t2s_build);
	struct tls *t = pthread_getspecific(tls_key);
	if (t)
		return t->bi ? t : NULL;
	t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	UErrorCode e = U_ZERO_ERROR;
	t->bi = ubrk_open(UBRK_WORD, "zh", NULL, 0, &e);
	if (U_FAILURE(e) || !nfkc_cf) {
		free(t);
		return NULL;
	}
	pthread_setspecific(tls_key, t);
	return t;
}

void tok_thread_release(void)
{
	pthread_once(&tls_once, tls_key_make);
	struct tls *t = pthread_getspecific(tls_key);
	pthread_setspecific(tls_key, NULL);
	tls_free(t);
}

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return 0;
	size_t c = *cap ? *cap : 256;
	while (c < need)
		c *= 2;
	void *q = realloc(*p, c * size);
	if (!q)
		return -1;
	*p = q;
	*cap = c;
	return 0;
}

static int n_reserve(struct tls *t, size_t more)
{
	size_t need = t->nlen + more + 1, cap = t->ncap;
	if (need <= cap)
		return 0;
	size_t c1 = cap, c2 = cap, c3 = cap;
	if (grow((void **)&t->n, &c1, need, 1) < 0 ||
	    grow((void **)&t->ostart, &c2, need, sizeof(int)) < 0 ||
	    grow((void **)&t->oend, &c3, need, sizeof(int)) < 0)
		return -1;
	t->ncap = c1;
	return 0;
}

/* ------------------------------------------------------------------ normalising */

static void emit_cp(struct tls *t, UChar32 c, int s, int e)
{
	uint8_t tmp[4];
	int32_t k = 0;
	UBool err = 0;
	U8_APPEND(tmp, k, 4, c, err);
	if (err)
		return;
	for (int32_t i = 0; i < k; i++) {
		t->n[t->nlen] = (char)tmp[i];
		t->ostart[t->nlen] = s;
		t->oend[t->nlen] = e;
		t->nlen++;
	}
}

/* Next code point at *i (advanced); malformed bytes read as a space. */
static UChar32 next_cp(const char *s, int32_t *i, int32_t len)
{
	UChar32 c;
	U8_NEXT(s, *i, len, c);
	return c < 0 ? ' ' : c;
}

static int boundary_before(UChar32 c)
{
	return c < 0x300 || unorm2_hasBoundaryBefore(nfkc_cf, c);
}

/* NFKC_Casefold of text[s, e) (one character and the marks that belong to
 * it), then T→S, all mapped to the original span [s, e). */
static int emit_segment(struct tls *t, const char *text, int s, int e)
{
	UChar in[64], out[128];
	int32_t nin = 0;
	UErrorCode err = U_ZERO_ERROR;
	u_strFromUTF8(in, KF_ARRAY_LEN(in), &nin, text + s, e - s, &err);
	if (U_FAILURE(err) || nin > (int32_t)KF_ARRAY_LEN(in))
		return n_reserve(t, 1) < 0 ? -1 : (emit_cp(t, ' ', s, e), 0);
	err = U_ZERO_ERROR;
	int32_t nout = unorm2_normalize(nfkc_cf, in, nin, out, KF_ARRAY_LEN(out), &err);
	if (U_FAILURE(err))
		return n_reserve(t, 1) < 0 ? -1 : (emit_cp(t, ' ', s, e), 0);
	if (n_reserve(t, (size_t)nout * 4) < 0)
		return -1;
	for (int32_t i = 0; i < nout;) {
		UChar32 c;
		U16_NEXT(out, i, nout, c);
		emit_cp(t, t2s(c), s, e);
	}
	return 0;
}

static int normalize(struct tls *t, const char *text, int32_t len)
{
	t->nlen = 0;
	if (n_reserve(t, (size_t)len + 16) < 0)
		return -1;
	int32_t i = 0;
	while (i < len) {
		int32_t s = i;
		UChar32 c = next_cp(text, &i, len);
		int32_t e = i, peek = i;
		UChar32 nx = i < len ? next_cp(text, &peek, len) : ' ';
		if (c < 0x80 && boundary_before(nx)) {
			if (c >= 'A' && c <= 'Z')
				c += 'a' - 'A';
			else if (c < 0x20 || c == 0x7f)
				c = ' ';
			if (n_reserve(t, 1) < 0)
				return -1;
			emit_cp(t, c, s, e);
			continue;
		}
		if (c >= HAN_LO && c <= HAN_HI && boundary_before(nx)) {
			if (n_reserve(t, 4) < 0)
				return -1;
			emit_cp(t, t2s(c), s, e);
			continue;
		}
		/* A character with the marks that follow it (at most a few
		 * dozen: past that the rest starts a segment of its own). */
		for (int k = 0; i < len && k < 30 && !boundary_before(nx); k++) {
			i = peek;
			nx = i < len ? next_cp(text, &peek, len) : ' ';
		}
		if (emit_segment(t, text, s, i) < 0)
			return -1;
	}
	t->n[t->nlen] = '\0';
	return 0;
}

int tok_normalize(const char *text, size_t len, buf *out)
{
	struct tls *t = tls_get();
	if (!t)
		return -1;
	if (len > TOK_MAX_INPUT)
		len = TOK_MAX_INPUT;
	if (normalize(t, text, (int32_t)len) < 0)
		return -1;
	return buf_append(out, t->n, t->nlen);
}

/* ------------------------------------------------------------------ tokens */

/* walk.stop when max_pos was reached: not an error, tok_run returns 0. */
#define STOP_FULL INT32_MIN

struct walk {
	struct tls *t;
	tok_cb cb;
	void *ctx;
	int max_pos;
	int pos;
	size_t nrc, nrw;
	int stop; /* the callback's value, or STOP_FULL */
};

static int emit(struct walk *w, enum tok_kind kind, const char *s, int len, int a, int b, int mid_n,
		int colocated)
{
	struct tls *t = w->t;
	tok k = {
		.text = s,
		.len = len,
		.start = t->ostart[a],
		.end = t->oend[b - 1],
		.mid = mid_n >= 0 ? t->ostart[mid_n] : t->oend[b - 1],
		.pos = w->pos,
		.colocated = colocated,
		.kind = kind,
	};
	int rc = w->cb(w->ctx, &k);
	if (rc)
		w->stop = rc;
	return rc;
}

/* Cuts a byte length down to a character boundary within TOK_MAX_BYTES. */
static int cut_len(const char *s, int len, int max)
{
	if (len <= max)
		return len;
	int k = max;
	while (k > 0 && U8_IS_TRAIL((uint8_t)s[k]))
		k--;
	return k;
}

static int full(struct walk *w)
{
	if (w->max_pos > 0 && w->pos >= w->max_pos) {
		w->stop = STOP_FULL;
		return 1;
	}
	return 0;
}

static int flush_run(struct walk *w)
{
	struct tls *t = w->t;
	size_t n = w->nrc, wi = 0;
	w->nrc = 0;
	for (size_t i = 0; i < n; i++) {
		if (full(w))
			break;
		struct run_char *c = &t->rc[i];
		if (i + 1 < n) {
			if (emit(w, TOK_BIGRAM, t->n + c->a, t->rc[i + 1].b - c->a, c->a,
				 t->rc[i + 1].b, t->rc[i + 1].a, 0))
				break;
		} else if (emit(w, TOK_UNIGRAM, t->n + c->a, c->b - c->a, c->a, c->b, -1, 0)) {
			break;
		}
		for (; wi < w->nrw && t->rw[wi].first == (int)i; wi++) {
			struct run_word *rw = &t->rw[wi];
			int a = c->a, b = t->rc[i + (size_t)rw->count - 1].b;
			int len = cut_len(t->n + a, b - a, TOK_MAX_BYTES - 1);
			t->word[0] = '#';
			memcpy(t->word + 1, t->n + a, (size_t)len);
			if (emit(w, TOK_CJKWORD, t->word, len + 1, a, b, -1, 1))
				goto out;
		}
		w->pos++;
	}
out:
	w->nrw = 0;
	return w->stop;
}

static int add_run_char(struct walk *w, int a, int b)
{
	struct tls *t = w->t;
	if (w->nrc && t->rc[w->nrc - 1].b != a && flush_run(w))
		return w->stop;
	if (grow((void **)&t->rc, &t->rccap, w->nrc + 1, sizeof(*t->rc)) < 0)
		return w->stop = -1;
	t->rc[w->nrc++] = (struct run_char){a, b};
	return 0;
}

static int add_run_word(struct walk *w, int first, int count)
{
	struct tls *t = w->t;
	if (count < 2)
		return 0;
	if (grow((void **)&t->rw, &t->rwcap, w->nrw + 1, sizeof(*t->rw)) < 0)
		return w->stop = -1;
	t->rw[w->nrw++] = (struct run_word){first, count};
	return 0;
}

static int emit_word(struct walk *w, int a, int b)
{
	if (w->nrc && flush_run(w))
		return w->stop;
	if (full(w))
		return w->stop;
	const char *s = w->t->n + a;
	if (emit(w, TOK_WORD, s, cut_len(s, b - a, TOK_MAX_BYTES), a, b, -1, 0))
		return w->stop;
	w->pos++;
	return 0;
}

/* One ICU word: split into pieces of CJK and other characters (ICU keeps
 * them apart already, but a word like "3号" must not depend on it). */
static int word_segment(struct walk *w, int a, int b)
{
	const char *n = w->t->n;
	int32_t i = a;
	while (i < b) {
		int32_t s = i;
		UChar32 c;
		U8_NEXT(n, i, b, c);
		int cjk = is_cjk(c);
		int32_t e = i;
		while (e < b) {
			int32_t j = e;
			U8_NEXT(n, j, b, c);
			if (is_cjk(c) != cjk)
				break;
			e = j;
		}
		if (!cjk) {
			if (emit_word(w, s, e))
				return w->stop;
			i = e;
			continue;
		}
		int first = -1, count = 0;
		for (int32_t k = s; k < e;) {
			int32_t ks = k;
			U8_NEXT(n, k, e, c);
			if (add_run_char(w, ks, k))
				return w->stop;
			if (first < 0)
				first = (int)w->nrc - 1;
			count++;
		}
		if (add_run_word(w, first, count))
			return w->stop;
		i = e;
	}
	return 0;
}

int tok_run(const char *text, size_t len, int max_pos, tok_cb cb, void *ctx)
{
	struct tls *t = tls_get();
	if (!t)
		return -1;
	if (len > TOK_MAX_INPUT)
		len = TOK_MAX_INPUT;
	if (normalize(t, text, (int32_t)len) < 0)
		return -1;
	UErrorCode e = U_ZERO_ERROR;
	UText ut = UTEXT_INITIALIZER;
	utext_openUTF8(&ut, t->n, (int64_t)t->nlen, &e);
	ubrk_setUText(t->bi, &ut, &e);
	if (U_FAILURE(e)) {
		utext_close(&ut);
		return -1;
	}
	struct walk w = {.t = t, .cb = cb, .ctx = ctx, .max_pos = max_pos};
	int32_t a = ubrk_first(t->bi), b;
	while (!w.stop && (b = ubrk_next(t->bi)) != UBRK_DONE) {
		if (ubrk_getRuleStatus(t->bi) >= UBRK_WORD_NONE_LIMIT)
			word_segment(&w, a, b);
		else if (w.nrc)
			flush_run(&w);
		a = b;
	}
	if (!w.stop && w.nrc)
		flush_run(&w);
	/* The iterator keeps its own shallow clone of ut; the next call
	 * replaces it before any use. */
	utext_close(&ut);
	return w.stop == STOP_FULL ? 0 : w.stop;
}

/* ------------------------------------------------------------------ fitting */

struct fit {
	int max_pos;
	long cut;
};

static int fit_cb(void *ctx, const tok *t)
{
	struct fit *f = ctx;
	if (t->pos >= f->max_pos) {
		f->cut = t->start;
		return 2;
	}
	return 0;
}

long tok_fit(const char *text, size_t len, int max_pos)
{
	if (len > TOK_MAX_INPUT)
		len = TOK_MAX_INPUT;
	struct fit f = {max_pos, (long)len};
	int rc = tok_run(text, len, max_pos + 1, fit_cb, &f);
	return rc < 0 ? -1 : f.cut;
}
