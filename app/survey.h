/* survey.h - satisfaction surveys (DOMAIN §4), shared by surveys.c (the
 * staff API: templates, rules, campaigns, invitations), survey_jobs.c
 * (invitations after closed cases and visits, periodic campaigns),
 * portal.c (the customer portal: answering) and satisfaction.c (scores,
 * expectation sheets, competitor scores, opinion sources). */
#ifndef KF_APP_SURVEY_H
#define KF_APP_SURVEY_H

#include "app/app.h"

#define SURVEY_DAY_MS (24LL * 3600 * 1000)

/* The installation's secret the survey tokens are signed with (settings
 * `survey.secret`, made on first use; every instance reads the same).
 * In the arena; NULL if the database failed. */
const char *survey_secret(db *d, arena *a);

/* The link a customer opens: "/portal/s/<token>" (in the arena). */
const char *survey_link(db *d, arena *a, int64_t invitation_id);

/* One invitation to insert.  source_key makes it idempotent. */
struct survey_invite {
	int64_t template_id, customer_id;
	const char *source;     /* case, visit, campaign, manual */
	const char *source_key; /* case:42, visit:7, campaign:3:2026-11:15, manual:<random> */
	const char *status;     /* sent or suppressed */
	int64_t case_id, followup_id, campaign_id, agent_id, department_id, created_by;
	const char *case_type, *channel;
	int64_t expires_at;
	int deliver; /* e-mail the link when the customer has an address */
};
/* Inserts it unless its source_key exists; *id is the new row (0 when it
 * existed).  Returns 1 if inserted, 0 if not, < 0 on failure.  The tier is
 * the customer's at this moment.  With deliver, a sent link is queued by
 * e-mail to the customer's address when the portal's base_url and a
 * sender address are configured (delivery = 'email'). */
int survey_invite_insert(db *d, arena *a, const struct survey_invite *in, int64_t now,
			 int64_t *id);

/* The first active template (the default of rules), 0 if none. */
int64_t survey_default_template(db *d);

/* Checks a template's questions (JSON array), failing naming
 * questions[i].field. */
int survey_questions_check(http_req *r, json_t *questions);

/* Opens a follow-up visit for a customer (kind "low_score" keyed
 * survey:<response id>, or "expectation_gap" keyed expectation:<sheet id>)
 * through the follow-ups module's keyed insert, about case_id (0: none),
 * assigned to the agent given (else the customer's owner), the call at
 * the first allowed time, due in a day.  Returns the visit's id, 0 if the
 * key existed, < 0 on failure.  In the caller's transaction. */
int64_t survey_followup(db *d, const char *kind, const char *key, int64_t customer_id,
			int64_t case_id, int64_t agent_id, const char *title, int64_t now);

/* The portal's settings (settings key `portal`), defaults filled in; the
 * caller decrefs. */
json_t *portal_settings_load(db *d);

/* Sends a campaign for the period containing now (survey_campaigns.c):
 * one invitation per selected customer not yet invited this period
 * (if_new: nothing when the period was sent already); *created counts the
 * new ones.  Its own transactions. */
int survey_campaign_send(db *d, arena *a, int64_t id, int64_t actor, int64_t now, int if_new,
			 const char **period_out, int64_t *created, kf_err *e);

/* Handlers (app/routes.c). */
/* Bodies read without a database (survey_input.c; the campaign's in
 * survey_campaigns.c).  Strings point into r->json; ids 0 when not given.
 *
 * PATCH /api/survey-rules/{rule}: min_days 0-365 and expires_days 1-90,
 * -1 when not given or null (left as they are); has_template: template_id
 * given, 0 (null) for the default template. */
struct survey_rule_input {
	int enabled, has_enabled, has_template;
	int64_t template_id, min_days, expires_days;
};
int survey_rule_input_read(http_req *r, struct survey_rule_input *in);

/* POST /api/survey-invitations: customer_id required; expires_at the
 * body's (after now, within 90 days), else now + expires_days (1-90;
 * 14 when not given or null). */
struct survey_invitation_input {
	int64_t customer_id, template_id, case_id, expires_at;
};
int survey_invitation_input_read(http_req *r, int64_t now, struct survey_invitation_input *in);

/* POST (creating: slug, name, template_id required) and PATCH
 * /api/opinion-sources/{id} (no slug; an empty name is NULL). */
struct opinion_source_input {
	const char *slug, *name;
	int64_t template_id;
	int active, has_active;
};
int opinion_source_input_read(http_req *r, int creating, struct opinion_source_input *in);

/* POST (creating: name and template_id required) and PATCH
 * /api/survey-campaigns/{id}: period once, monthly, quarterly or yearly;
 * state draft, active or stopped; expires_days 1-90; filter, when given,
 * checked as survey_campaigns.c builds it and *filter its text (the
 * caller frees it; NULL when not given).  A name is never empty. */
struct survey_campaign_input {
	const char *name, *period, *state;
	int64_t template_id, expires_days;
	char *filter;
};
int survey_campaign_input_read(http_req *r, int creating, struct survey_campaign_input *in);

int survey_templates_list(http_req *r);
int survey_templates_create(http_req *r);
int survey_templates_get(http_req *r);
int survey_templates_patch(http_req *r);
int survey_templates_archive(http_req *r);
int survey_rules_list(http_req *r);
int survey_rules_patch(http_req *r);
int survey_campaigns_list(http_req *r);
int survey_campaigns_create(http_req *r);
int survey_campaigns_get(http_req *r);
int survey_campaigns_patch(http_req *r);
int survey_campaigns_preview(http_req *r);
int survey_campaigns_send(http_req *r);
int survey_invitations_list(http_req *r);
int survey_invitations_create(http_req *r);
int survey_responses_list(http_req *r);
int report_satisfaction(http_req *r);
int report_expectation_gaps(http_req *r);
int report_survey_results(http_req *r);
int competitor_scores_list(http_req *r);
int competitor_scores_create(http_req *r);
int competitor_scores_patch(http_req *r);
int competitor_scores_delete(http_req *r);
int expectation_sheets_list(http_req *r);
int expectation_sheets_create(http_req *r);
int expectation_sheets_get(http_req *r);
int expectation_sheets_patch(http_req *r);
int opinion_sources_list(http_req *r);
int opinion_sources_create(http_req *r);
int opinion_sources_patch(http_req *r);
int portal_settings_get(http_req *r);
int portal_settings_put(http_req *r);
int portal_service(http_req *r);
int portal_inquiries_create(http_req *r);
int portal_track(http_req *r);
int portal_survey_get(http_req *r);
int portal_survey_answer(http_req *r);
int portal_card_get(http_req *r);
int portal_card_answer(http_req *r);

/* The jobs scheduler's entry (jobs/scheduler.c). */
int survey_job_run(db *d, int64_t now, char *summary, size_t len);

#endif
