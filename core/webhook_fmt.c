/* webhook_fmt.c - see webhook_fmt.h.  The robot formats carry a short
 * Markdown message a person reads in the group: the event's title, then
 * the case (or other subject) in a few lines. */
#include "core/webhook_fmt.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "lib/common.h"
#include "lib/jw.h"

const struct webhook_event webhook_events[] = {
	{"case.created", "新工单", "New case"},
	{"case.assigned", "工单已分配", "Case assigned"},
	{"case.state_changed", "工单状态变更", "Case state changed"},
	{"case.closed", "工单已关闭", "Case closed"},
	{"case.overdue", "工单超时", "Case overdue"},
	{"complaint.key_account", "关键客户投诉", "Key account complaint"},
	{"survey.low_score", "满意度低分", "Low satisfaction score"},
	{"mail.received", "收到客户邮件", "Customer e-mail received"},
	{"import.finished", "导入完成", "Import finished"},
	{"ping", "测试消息", "Test message"},
	{NULL, NULL, NULL},
};

const struct webhook_event *webhook_event_find(const char *name)
{
	for (const struct webhook_event *e = webhook_events; name && e->name; e++)
		if (!strcmp(e->name, name))
			return e;
	return NULL;
}

/* "**新工单** C250530-0042\n> 主题：...\n> 客户：..." */
static void markdown(buf *b, const char *event, const struct webhook_summary *s, int dingtalk)
{
	const struct webhook_event *ev = webhook_event_find(event);
	const char *title = ev ? ev->zh : event;
	buf_printf(b, dingtalk ? "### %s" : "**%s**", title);
	if (s->number)
		buf_printf(b, " %s", s->number);
	if (s->subject)
		buf_printf(b, "\n> 主题：%s", s->subject);
	if (s->customer)
		buf_printf(b, "\n> 客户：%s%s", s->customer, s->key_account ? "（关键客户）" : "");
	if (s->priority)
		buf_printf(b, "\n> 优先级：%s", s->priority);
	if (s->from)
		buf_printf(b, "\n> 发件人：%s", s->from);
	if (s->text)
		buf_printf(b, "\n> %s", s->text);
}

int webhook_body(buf *out, const char *kind, int64_t id, const char *event, int64_t created_at,
		 const char *data_json, const struct webhook_summary *s)
{
	jw w;
	jw_init(&w, out);
	jw_obj(&w);
	if (!strcmp(kind, "json")) {
		jw_key(&w, "id");
		jw_int(&w, id);
		jw_key(&w, "event");
		jw_str(&w, event);
		jw_key(&w, "created_at");
		jw_int(&w, created_at);
		jw_key(&w, "data");
		jw_raw(&w, data_json && *data_json ? data_json : "{}");
		jw_obj_end(&w);
		return jw_failed(&w) ? -1 : 0;
	}
	int ding = !strcmp(kind, "dingtalk");
	if (!ding && strcmp(kind, "wecom"))
		return -1;
	buf md;
	buf_init(&md, 16384);
	markdown(&md, event, s, ding);
	const struct webhook_event *ev = webhook_event_find(event);
	jw_key(&w, "msgtype");
	jw_str(&w, "markdown");
	jw_key(&w, "markdown");
	jw_obj(&w);
	if (ding) {
		jw_key(&w, "title");
		jw_str(&w, ev ? ev->zh : event);
	}
	jw_key(&w, ding ? "text" : "content");
	jw_str(&w, md.data ? md.data : "");
	jw_obj_end(&w);
	jw_obj_end(&w);
	buf_release(&md);
	return jw_failed(&w) ? -1 : 0;
}

static void hmac(const char *key, const char *msg, size_t len, unsigned char out[32])
{
	crypto_auth_hmacsha256_state st;
	crypto_auth_hmacsha256_init(&st, (const unsigned char *)key, strlen(key));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)msg, len);
	crypto_auth_hmacsha256_final(&st, out);
}

void webhook_sign(const char *secret, int64_t ts_ms, const char *body, char out[72])
{
	char head[32];
	int n = snprintf(head, sizeof(head), "%lld.", (long long)ts_ms);
	crypto_auth_hmacsha256_state st;
	unsigned char mac[32];
	crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret, strlen(secret));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)head, (size_t)n);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, strlen(body));
	crypto_auth_hmacsha256_final(&st, mac);
	memcpy(out, "sha256=", 7);
	sodium_bin2hex(out + 7, 65, mac, sizeof(mac));
}

void webhook_dingtalk_sign(const char *secret, int64_t ts_ms, char *out, size_t outlen)
{
	char msg[512];
	int n = snprintf(msg, sizeof(msg), "%lld\n%s", (long long)ts_ms, secret);
	unsigned char mac[32];
	hmac(secret, msg, n > 0 && (size_t)n < sizeof(msg) ? (size_t)n : sizeof(msg) - 1, mac);
	char b64[64];
	sodium_bin2base64(b64, sizeof(b64), mac, sizeof(mac), sodium_base64_VARIANT_ORIGINAL);
	size_t o = 0;
	for (const char *p = b64; *p && o + 4 < outlen; p++) {
		if (*p == '+' || *p == '/' || *p == '=')
			o += (size_t)snprintf(out + o, outlen - o, "%%%02X", (unsigned char)*p);
		else
			out[o++] = *p;
	}
	out[o] = '\0';
}
