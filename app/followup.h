/* followup.h - follow-up visits (回访, DOMAIN §3), shared by followups.c
 * (the API) and followup_jobs.c (generation by rules and escalation, run
 * by the jobs scheduler). */
#ifndef KF_APP_FOLLOWUP_H
#define KF_APP_FOLLOWUP_H

#include "app/app.h"

/* A generation rule's switch and parameters (followup_rules, params JSON
 * {"days", "delay_hours", "months", "lead_days"}; the defaults where a row
 * or a key is missing). */
struct fu_rule {
	const char *rule;
	int enabled;
	int64_t days;        /* due within (winback: days without an order) */
	int64_t delay_hours; /* the proposed call this long after the cause */
	int64_t months;      /* maintenance: after a purchase; key_account: the period */
	int64_t lead_days;   /* dated visits: created this many days ahead */
};
/* The rules and their defaults, terminated by {0}. */
extern const struct fu_rule followup_rule_defaults[];
/* Overwrites r's switch and parameters with those stored for r->rule. */
void followup_rule_load(db *d, struct fu_rule *r);

/* Inserts one generated visit unless its rule_key exists (ON CONFLICT DO
 * NOTHING, so several servers make it once); 1 if inserted, 0 if the key
 * existed, < 0 on failure.  0 for case_id, assignee or dept is NULL.  The
 * rules' scan and the satisfaction module (low scores, expectation gaps)
 * make their visits through it. */
int followup_insert_keyed(db *d, int64_t customer_id, const char *kind, const char *key,
			  int64_t case_id, int64_t assignee, int64_t dept, const char *title,
			  int64_t due_at, int64_t call_at, int64_t now);

/* The first UTC time >= t at which the customer may be called: outside the
 * company's rest hours (core/calltime.h defaults) and the customer's
 * do-not-disturb windows (customers.dnd JSON); 0 if none in two weeks. */
int64_t followup_callable_from(db *d, const char *dnd_json, int64_t t);

/* The current key-account period (the key_account rule's `months`,
 * counted from January, in the company's zone) as [from, to) UTC ms. */
void followup_period(db *d, int64_t now, int64_t *from, int64_t *to);

/* The jobs scheduler's entry (jobs/scheduler.c): generates the visits the
 * rules call for and escalates overdue visits and commitments to the
 * supervisors.  Every insert is keyed (followups.rule_key) and every
 * escalation is a guarded UPDATE, so two servers never do either twice.
 * Returns the number of tasks created or escalated, < 0 on failure. */
int followup_job_run(db *d, int64_t now, char *summary, size_t len);

#endif
