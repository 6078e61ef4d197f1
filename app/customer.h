/* customer.h - the customer file shared by customers.c (CRUD and list),
 * customer_input.c (validation), customer_orders.c, customer_audit.c and
 * customer_assign.c. */
#ifndef KF_APP_CUSTOMER_H
#define KF_APP_CUSTOMER_H

#include "app/app.h"

enum cfield_type {
	CF_TEXT,
	CF_CLASS,
	CF_PHONE,
	CF_EMAIL,
	CF_DATE,
	CF_CONTACTS,
	CF_DATES,
	CF_PREFS,
	CF_DND,
	CF_TAGS,
	CF_OWNER,
};

struct cfield {
	const char *name; /* JSON key and column name */
	enum cfield_type type;
	unsigned max;    /* characters, for CF_TEXT */
	const char *cls; /* classification set, for CF_CLASS */
};

/* The writable fields of a customer, in column order. */
extern const struct cfield customer_fields[];
extern const size_t customer_nfields;

/* Validates the fields present in `in` (all of them on create, where
 * `name` is required) and returns normalised values keyed like the input
 * (phones in E.164, JSON documents cleaned, owner as an integer), or NULL
 * with r->err filled.  `extra_keys` are accepted without validation. */
json_t *customer_validate(http_req *r, json_t *in, int creating, const char *const *extra_keys);

/* Reads one customer, unmasked, as JSON for internal use (the before-image
 * of an audit diff); NULL if absent (r->err filled) or on a database error. */
json_t *customer_load(http_req *r, int64_t id);
/* Answers with the customer as the API shows it (written straight from
 * the row, masked as the caller's role requires). */
int customer_respond(http_req *r, int64_t id, int status);
/* 1 if the customer exists (archived or not), 0 if not, < 0 on error. */
int customer_exists(http_req *r, int64_t id);
/* Whether the signed-in user sees this owner's customers' phones masked. */
int customer_masked_for(http_req *r, int64_t owner_id);
/* customer_list.c: the list's query parameters (filters, q, cursor) as an
 * SQL condition on alias c with its arguments; exports reuse it. */
struct customer_filter {
	buf where;
	db_val args[16];
	int n;
	int narrowed; /* a condition on the customers' fields was given */
};
/* GET /api/customers's query parameters as SQL conditions on customers c
 * (f->where, initialised by the caller; arguments in f->args). */
int customer_list_filter(http_req *r, struct customer_filter *f);
/* The same conditions on the customers' own fields (kind, source,
 * lifecycle, chain_role, value_class, tier, industry, tag, owner,
 * department_id) for the reports, over live customers only: no text
 * search, archive switch or cursor. */
int customer_report_filter(http_req *r, struct customer_filter *f);

/* Replaces the customer's rows in customer_tags with `tags` (a JSON array). */
int customer_set_tags(db *d, int64_t id, json_t *tags);

/* For every writer of customers.value_class, in its transaction, after the
 * customer row: a customer who became a key account (or stopped being one)
 * moves their open cases in every queue and to the SLA policy of the new
 * value class (case_customer_key_changed, as actor).  pair is the audit
 * diff's [before, after] of value_class, or NULL when it did not change. */
int customer_value_class_changed(db *d, int64_t id, json_t *pair, int64_t actor);

#endif
