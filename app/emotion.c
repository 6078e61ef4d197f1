/* emotion.c - POST /api/emotion {text}: the emotion triage of a customer's
 * message (core/emotion.h), to pre-fill a case's emotion field. */
#include "app/app.h"

#include <string.h>

#include "core/emotion.h"
#include "lib/common.h"
#include "lib/jw.h"

enum { TEXT_MAX = 5000 };

int emotion_post(http_req *r)
{
	static const char *const keys[] = {"text", NULL};
	const char *text;
	int rc;
	if (!r->json)
		return http_fail(r, KF_EINVAL, "text", "缺少必填字段 text", "The field text is required");
	if ((rc = in_only_keys(r, r->json, keys, NULL)) < 0 ||
	    (rc = in_str(r, r->json, "text", TEXT_MAX, 1, &text, NULL)) < 0)
		return rc;
	struct emotion_result res;
	emotion_classify(text, strlen(text), &res);
	buf b;
	buf_init(&b, 1 << 16);
	jw w;
	jw_init(&w, &b);
	jw_obj(&w);
	jw_key(&w, "emotion");
	jw_str(&w, emotion_name(res.label));
	jw_key(&w, "emotion_zh");
	jw_str(&w, emotion_name_zh(res.label));
	jw_key(&w, "confidence");
	jw_raw(&w, arena_printf(r->a, "%.3f", res.confidence));
	jw_key(&w, "probabilities");
	jw_obj(&w);
	for (int e = 0; e < EMO__COUNT; e++) {
		jw_key(&w, emotion_name((enum emotion)e));
		jw_raw(&w, arena_printf(r->a, "%.3f", res.prob[e]));
	}
	jw_obj_end(&w);
	jw_key(&w, "cues");
	jw_arr(&w);
	for (int i = 0; i < res.ncues; i++) {
		jw_obj(&w);
		jw_key(&w, "emotion");
		jw_str(&w, emotion_name(res.cues[i].emotion));
		jw_key(&w, "what");
		jw_str(&w, res.cues[i].what);
		jw_key(&w, "text");
		jw_str(&w, res.cues[i].text);
		jw_key(&w, "weight");
		jw_raw(&w, arena_printf(r->a, "%.2f", res.cues[i].weight));
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
	jw_obj_end(&w);
	if (jw_failed(&w)) {
		buf_release(&b);
		return http_fail(r, KF_EINTERNAL, NULL, NULL, NULL);
	}
	return http_json_buf(r, 200, &b);
}
