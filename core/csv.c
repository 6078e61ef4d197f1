/* csv.c - see csv.h.  A four-state machine over bytes: at the start of a
 * field, inside an unquoted field, inside a quoted one, and just after a
 * quote inside a quoted one (a second quote is a literal quote; anything
 * else closes the quotes). */
#include "core/csv.h"

#include <stdlib.h>
#include <string.h>

#include "lib/common.h"

enum { ST_START, ST_PLAIN, ST_QUOTED, ST_QUOTE_SEEN, ST_CR };

int csv_init(csv *p, char delim, csv_row_fn fn, void *ctx)
{
	memset(p, 0, sizeof(*p));
	p->delim = delim ? delim : ',';
	p->fn = fn;
	p->ctx = ctx;
	p->data = malloc(CSV_MAX_RECORD + CSV_MAX_COLS + 1);
	return p->data ? 0 : -1;
}

void csv_release(csv *p)
{
	free(p->data);
	p->data = NULL;
}

static void put(csv *p, char c)
{
	if (p->len >= CSV_MAX_RECORD) {
		p->flags |= CSV_TOO_LONG;
		return;
	}
	p->data[p->len++] = c;
}

static void end_field(csv *p)
{
	if (p->ncells == CSV_MAX_COLS) { /* drop it */
		p->flags |= CSV_TOO_WIDE;
		p->len = p->start;
		return;
	}
	/* room for the terminators is reserved beyond CSV_MAX_RECORD */
	p->data[p->len++] = '\0';
	p->offs[p->ncells++] = p->start;
	p->start = p->len;
}

static int end_record(csv *p)
{
	end_field(p);
	int rc = 0;
	int empty = 1;
	char *cells[CSV_MAX_COLS];
	for (int i = 0; i < p->ncells; i++) {
		cells[i] = p->data + p->offs[i];
		empty &= cells[i][0] == '\0';
	}
	/* Spreadsheets pad the end with rows of empty cells: not records. */
	if (!empty || p->flags) {
		p->rec++;
		rc = p->fn(p->ctx, p->rec, cells, p->ncells, p->flags);
	}
	p->len = 0;
	p->start = 0;
	p->ncells = 0;
	p->flags = 0;
	p->state = ST_START;
	if (rc)
		p->stopped = rc;
	return rc;
}

int csv_feed(csv *p, const char *data, size_t n)
{
	if (p->stopped)
		return p->stopped;
	for (size_t i = 0; i < n; i++) {
		char c = data[i];
		int rc = 0;
		if (p->state == ST_CR) { /* CR LF is one break */
			p->state = ST_START;
			if (c == '\n')
				continue;
		}
		switch (p->state) {
		case ST_START:
		case ST_PLAIN:
			if (c == '"' && p->state == ST_START) {
				p->state = ST_QUOTED;
			} else if (c == p->delim) {
				end_field(p);
				p->state = ST_START;
			} else if (c == '\n' || c == '\r') {
				rc = end_record(p);
				if (c == '\r')
					p->state = ST_CR;
			} else {
				put(p, c);
				p->state = ST_PLAIN;
			}
			break;
		case ST_QUOTED:
			if (c == '"')
				p->state = ST_QUOTE_SEEN;
			else
				put(p, c);
			break;
		case ST_QUOTE_SEEN:
			if (c == '"') {
				put(p, '"');
				p->state = ST_QUOTED;
			} else if (c == p->delim) {
				end_field(p);
				p->state = ST_START;
			} else if (c == '\n' || c == '\r') {
				rc = end_record(p);
				if (c == '\r')
					p->state = ST_CR;
			} else { /* "ab"c: lenient, as Excel is */
				put(p, c);
				p->state = ST_PLAIN;
			}
			break;
		}
		if (rc)
			return rc;
	}
	return 0;
}

int csv_finish(csv *p)
{
	if (p->stopped)
		return p->stopped;
	if (p->state == ST_QUOTED)
		p->flags |= CSV_UNCLOSED;
	if (p->state == ST_START && p->len == 0 && p->ncells == 0 && !p->flags)
		return 0;
	if (p->state == ST_CR)
		return 0;
	return end_record(p);
}

char csv_sniff(const char *s, size_t n)
{
	size_t comma = 0, semi = 0, tab = 0;
	int quoted = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '"')
			quoted = !quoted;
		else if (!quoted && (c == '\n' || c == '\r'))
			break;
		else if (!quoted)
			comma += c == ',', semi += c == ';', tab += c == '\t';
	}
	if (tab > comma && tab >= semi)
		return '\t';
	if (semi > comma)
		return ';';
	return ',';
}
