// The calendar feed (issue 5): my open visits and commitments as iCalendar (RFC 5545) behind a
// personal token in the URL, checked byte by byte (CRLF, lines of at most 75 octets, UTC times,
// escaping) and parsed by an independent parser (Debian's python3-icalendar, scripts/deps.sh test).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { startServer, api, adminSession, userSession, assertProblem, assertStatus, createCustomer } from './lib.mjs';

process.env.KEFU_JOBS_INTERVAL = '0';

let srv, admin, agent, other, cust, visit, promise, othersVisit;
const HOUR = 3600_000;
const NAME = '王,先生;测试\\分店';
const LONG = '三个工作日内安排师傅上门检修空调，并免费更换遥控器电池；如仍不制冷，整机换新，运费由我们承担。';

before(async () => {
	srv = await startServer('calendar');
	admin = await adminSession(srv);
	agent = await userSession(srv, admin, { role: 'agent' });
	other = await userSession(srv, admin, { role: 'agent' });
	cust = await createCustomer(admin, { name: NAME });
	const due = Date.now() + 26 * HOUR;
	visit = assertStatus(await api(agent, 'POST', '/api/followups', { customer_id: cust.id, title: '维修后回访, 问满意度', due_at: due }), 201, 'visit');
	promise = assertStatus(await api(agent, 'POST', '/api/commitments', { customer_id: cust.id, content: LONG, due_at: Date.now() + 50 * HOUR }), 201, 'promise');
	othersVisit = assertStatus(await api(other, 'POST', '/api/followups', { customer_id: cust.id, title: '别人的回访', due_at: due }), 201);
});

after(async () => {
	await srv?.stop();
});

async function feed(path, headers = {}) {
	const res = await fetch(`${srv.url}${path}`, { headers });
	return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

/** The events as python3-icalendar reads them. */
function parse(text) {
	const py = `
import sys, json
from icalendar import Calendar
cal = Calendar.from_ical(sys.stdin.buffer.read())
out = {'version': str(cal.get('VERSION')), 'prodid': str(cal.get('PRODID')), 'events': []}
for e in cal.walk('VEVENT'):
    out['events'].append({k: (e.decoded(k).isoformat() if k in ('DTSTART', 'DTEND', 'DTSTAMP') else str(e.get(k)))
        for k in ('UID', 'SUMMARY', 'DESCRIPTION', 'DTSTART', 'DTEND', 'DTSTAMP', 'CATEGORIES') if e.get(k) is not None})
print(json.dumps(out, ensure_ascii=False))
`;
	return new Promise((resolve, reject) => {
		const p = execFile('/usr/bin/python3', ['-c', py], (err, stdout, stderr) => err ? reject(new Error(`python3-icalendar: ${stderr || err}`)) : resolve(JSON.parse(stdout)));
		p.stdin.end(text);
	});
}

const iso = (ms) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', '+00:00');

test('no feed without a token or a sign-in; a token is made once and shown once', async () => {
	assert.equal((await feed('/api/calendar/mine.ics')).status, 401);
	assert.equal((await feed('/api/calendar/mine.ics?token=kfc_nope')).status, 401);
	assert.deepEqual(assertStatus(await api(agent, 'GET', '/api/me/calendar-token'), 200), { exists: false, created_at: null, last_used_at: null });
	assertProblem(await api(agent, 'DELETE', '/api/me/calendar-token'), 404, 'not_found');
});

test('the feed: my open visits and commitments, RFC 5545 to the byte, read back by an independent parser', async () => {
	const t = assertStatus(await api(agent, 'POST', '/api/me/calendar-token'), 201);
	assert.match(t.token, /^kfc_[0-9a-f]{64}$/);
	assert.equal(t.path, `/api/calendar/mine.ics?token=${t.token}`);
	const r = await feed(t.path);
	assert.equal(r.status, 200, r.text);
	assert.equal(r.type, 'text/calendar; charset=utf-8');
	// CRLF everywhere, no line over 75 octets, continuation lines start with one space.
	assert.ok(r.text.endsWith('END:VCALENDAR\r\n'));
	assert.ok(!/[^\r]\n/.test(r.text), 'no bare LF');
	const lines = r.text.slice(0, -2).split('\r\n');
	for (const l of lines)
		assert.ok(Buffer.byteLength(l) <= 75, `${Buffer.byteLength(l)} octets: ${l}`);
	assert.ok(lines.some((l) => l.startsWith(' ')), 'the long commitment is folded');
	const unfolded = r.text.replace(/\r\n /g, '');
	assert.match(unfolded, /\r\nSUMMARY:回访：王\\,先生\\;测试\\\\分店 – 维修后回访\\, 问满意度\r\n/);
	assert.match(unfolded, /\r\nDTSTART:\d{8}T\d{6}Z\r\n/);
	assert.match(unfolded, /\r\nDESCRIPTION:客户：[^\r]*\\n回访：/);
	// The same, through python3-icalendar.
	const cal = await parse(r.text);
	assert.equal(cal.version, '2.0');
	assert.equal(cal.events.length, 2, 'not the other agent\'s visit');
	const v = cal.events.find((e) => e.UID.startsWith(`followup-${visit.id}.`));
	const p = cal.events.find((e) => e.UID.startsWith(`commitment-${promise.id}.`));
	assert.ok(v && p, JSON.stringify(cal.events));
	assert.match(v.UID, /^followup-\d+\.[0-9a-f]{16}@kefu$/);
	assert.equal(v.SUMMARY, `回访：${NAME} – 维修后回访, 问满意度`);
	assert.equal(v.DTSTART, iso(visit.call_at));
	assert.equal(v.DTEND, iso(visit.call_at + 15 * 60_000));
	assert.ok(v.DESCRIPTION.includes(`客户：${NAME}\n回访：维修后回访, 问满意度\n截止：`), v.DESCRIPTION);
	assert.equal(p.SUMMARY, `承诺到期：${LONG} – ${NAME}`);
	assert.equal(p.DTEND, iso(promise.due_at));
	assert.equal(p.DTSTART, iso(promise.due_at - 30 * 60_000));
	assert.ok(v.DTSTAMP.endsWith('+00:00'));
	// UIDs are stable from one fetch to the next.
	const again = await parse((await feed(t.path)).text);
	assert.deepEqual(again.events.map((e) => e.UID).sort(), cal.events.map((e) => e.UID).sort());
	const st = assertStatus(await api(agent, 'GET', '/api/me/calendar-token'), 200);
	assert.equal(st.exists, true);
	assert.equal(st.token, undefined, 'the secret is never shown again');
	assert.ok(st.last_used_at > 0);
});

test('a session or a Bearer API token opens the feed too; English for an English user', async () => {
	const s = await feed('/api/calendar/mine.ics', { Cookie: agent.cookie });
	assert.equal(s.status, 200);
	assert.equal((await parse(s.text)).events.length, 2);
	const tok = assertStatus(await api(other, 'POST', '/api/tokens', { name: '日历' }), 201).token;
	const b = await feed('/api/calendar/mine.ics', { Authorization: `Bearer ${tok}` });
	const events = (await parse(b.text)).events;
	assert.deepEqual(events.map((e) => e.UID.split('.')[0]), [`followup-${othersVisit.id}`]);
	assertStatus(await api(other, 'PATCH', '/api/me', { lang: 'en' }), 200);
	const en = (await parse((await feed('/api/calendar/mine.ics', { Authorization: `Bearer ${tok}` })).text)).events;
	assert.match(en[0].SUMMARY, /^Visit: /);
});

test('closed items leave the feed; a new token replaces the old; a revoked one opens nothing', async () => {
	assertStatus(await api(agent, 'POST', `/api/commitments/${promise.id}/outcome`, { outcome: 'kept', note: '已上门' }), 200);
	const t1 = assertStatus(await api(agent, 'POST', '/api/me/calendar-token'), 201);
	const cal = await parse((await feed(t1.path)).text);
	assert.deepEqual(cal.events.map((e) => e.UID.split('.')[0]), [`followup-${visit.id}`]);
	const t2 = assertStatus(await api(agent, 'POST', '/api/me/calendar-token'), 201);
	assert.notEqual(t2.token, t1.token);
	assert.equal((await feed(t1.path)).status, 401, 'the old token is replaced');
	assert.equal((await feed(t2.path)).status, 200);
	assert.equal((await api(agent, 'DELETE', '/api/me/calendar-token')).status, 204);
	const gone = await feed(t2.path);
	assert.equal(gone.status, 401);
	assert.match(gone.type, /problem\+json/);
});
