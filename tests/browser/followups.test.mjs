// followups.test.mjs - 回访 and 承诺 in Debian's Chromium against kefu serve. Through the API
// (as agent01) a customer with a do-not-disturb window, a commitment due in two hours and a
// visit due in 40 minutes; then in the browser the agent sees both on the workbench and on
// their pages, opens the visit (the script filled with the customer's name, the suggested call
// time as the API computes it, the customer's window), is refused a call at 12:30, cannot
// close an empty record (the missing fields named under them), records the outcome and closes
// the visit (listed under 已完成); records the commitment as kept; the customer's card shows
// the last visit; the supervisor finds both in the team's lists, filtered by the agent.
// Due times are relative to now, and the expected tab (today / upcoming) is computed the way
// the UI does in the browser's zone (Asia/Shanghai, no DST): no dependence on the hour.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, PASSWORD, launch, login, newContext, rand, shot, watchPage } from './lib.mjs';

const HOUR = 3600 * 1000;
const DAY = 24 * HOUR;
const SH_OFFSET = 8 * HOUR; // Asia/Shanghai, the browser's zone (lib.mjs newContext)
const endOfShanghaiDay = (ms) => Math.floor((ms + SH_OFFSET) / DAY) * DAY + DAY - SH_OFFSET;
/** ms → "2026-03-11 12:30" on the Shanghai wall clock (the UI's dateTime in the browser). */
const shanghai = (ms) => new Date(ms + SH_OFFSET).toISOString().slice(0, 16).replace('T', ' ');

/** A small API client with a session cookie and the CSRF token. */
async function apiSession(username) {
	const r = await fetch(`${BASE}/api/session`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify({ username, password: PASSWORD }),
	});
	assert.ok(r.ok, `login ${username}: ${r.status}`);
	const cookie = r.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
	const { csrf_token: csrf } = await r.json();
	return async (method, path, body) => {
		const res = await fetch(`${BASE}${path}`, {
			method,
			headers: { Cookie: cookie, 'X-CSRF-Token': csrf, 'Content-Type': 'application/json', 'Accept-Language': 'zh-CN' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const data = res.status === 204 ? null : await res.json();
		if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(data)}`);
		return data;
	};
}

let browser;
let page;
let problems;
let api;
const tag = rand(5);
const NAME = `回访测试${tag}`;
const PROMISE = `三天内上门更换滤芯（${tag}）`;
const TITLE = `确认维修结果 ${tag}`;
let customer;
let visit;
let commitment;

before(async () => {
	api = await apiSession('agent01');
	const phone = `199${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
	customer = await api('POST', '/api/customers', {
		name: NAME,
		phone,
		dnd: [{ days: [1, 2, 3, 4, 5, 6, 7], start: '15:00', end: '16:00', note: '午后开会' }],
	});
	const now = Date.now();
	commitment = await api('POST', '/api/commitments', { customer_id: customer.id, content: PROMISE, due_at: now + 2 * HOUR });
	visit = await api('POST', '/api/followups', { customer_id: customer.id, title: TITLE, due_at: now + 40 * 60 * 1000 });
	assert.equal(visit.assignee_id, commitment.made_by, 'the visit is the agent’s own');

	browser = await launch();
	const ctx = await newContext(browser);
	page = await ctx.newPage();
	problems = watchPage(page);
});
after(async () => {
	await browser?.close();
	if (problems?.length) console.log(problems.join('\n'));
});

describe('follow-ups and commitments', () => {
	it('the workbench counts my visits and commitments due and links to their pages', async () => {
		await login(page, 'agent01');
		const fu = page.locator('[data-test=wb-followups-n]');
		const cm = page.locator('[data-test=wb-commitments-n]');
		await page.waitForFunction(() => {
			const a = document.querySelector('[data-test=wb-followups-n]');
			const b = document.querySelector('[data-test=wb-commitments-n]');
			return a && b && /\d/.test(a.textContent) && /\d/.test(b.textContent);
		});
		const sum = (s) => [...s.matchAll(/\d+/g)].reduce((a, m) => a + Number(m[0]), 0);
		const fuText = await fu.innerText();
		const cmText = await cm.innerText();
		assert.match(fuText, /今日到期 \d+ · 逾期 \d+ · 之后 \d+/);
		assert.ok(sum(fuText) >= 1, fuText);
		assert.ok(sum(cmText) >= 1, cmText);
		await shot(page, 'fu-01-workbench');
		await page.click('[data-test=wb-commitments] a');
		await page.waitForURL(/\/commitments/);
		await page.goBack();
		await page.click('[data-test=wb-followups] a');
		await page.waitForURL(/\/followups/);
	});

	it('the visit is listed in the tab its due time calls for, with the kind filter', async () => {
		const tab = visit.due_at < endOfShanghaiDay(Date.now()) ? 'today' : 'upcoming';
		await page.goto(`/followups?${tab === 'today' ? '' : `tab=${tab}&`}kind=manual`);
		const row = page.locator('[data-test=fu-table] .el-table__row', { hasText: NAME });
		await row.waitFor();
		assert.match(await row.innerText(), new RegExp(TITLE));
		assert.match(await page.locator(`[data-test=fu-tab-${tab}]`).getAttribute('class'), /\bon\b/);
		await shot(page, 'fu-02-list');
		await row.locator('[data-test=fu-open]').click();
		await page.waitForURL(new RegExp(`/followups/${visit.id}$`));
	});

	it('the visit page shows the script filled in, the suggested call time and the customer’s window', async () => {
		await page.waitForSelector('[data-test=script-text]');
		assert.match(await page.locator('[data-test=script-text]').innerText(), new RegExp(NAME));
		assert.match(await page.locator('[data-test=visit-title]').innerText(), new RegExp(TITLE));
		assert.match(await page.locator('[data-test=visit-dnd]').innerText(), /15:00–16:00[\s\S]*午后开会/);
		assert.match(await page.locator('[data-test=visit-dnd]').innerText(), /21:00–次日 09:00/);
		// The suggestion is the API's, read now: "callable now" or the first allowed time.
		const ct = await api('GET', `/api/followups/call-time?customer_id=${customer.id}`);
		const box = await page.locator('[data-test=visit-calltime]').innerText();
		if (ct.allowed) assert.match(box, /现在可以致电/);
		else assert.ok(box.includes(shanghai(ct.call_at)), `${box} / ${shanghai(ct.call_at)}`);
		await shot(page, 'fu-03-visit');
	});

	it('a call at 12:30 is refused, with the first allowed time under the field', async () => {
		await page.click('[data-test=visit-move]');
		const dlg = page.locator('[data-test=move-dialog]');
		await dlg.waitFor();
		const input = dlg.locator('[data-test=move-call] input');
		const tomorrow = shanghai(Date.now() + DAY).slice(0, 10);
		await input.click();
		await input.fill(`${tomorrow} 12:30`);
		await input.press('Enter');
		assert.equal(await input.inputValue(), `${tomorrow} 12:30`);
		// The hint follows the field: refused, with the first allowed time (14:00 that day).
		await dlg.locator('[data-test=call-time-hint]', { hasText: '最早可在' }).waitFor();
		assert.match(await dlg.locator('[data-test=call-time-hint]').innerText(), new RegExp(`最早可在 ${tomorrow} 14:00 致电`));
		await dlg.locator('[data-test=move-submit]').click();
		const err = dlg.locator('[data-test=move-call] .el-form-item__error');
		await err.waitFor();
		assert.match(await err.innerText(), new RegExp(`休息时间.*${tomorrow} 14:00`));
		assert.equal(await dlg.locator('[data-test=call-time-hint]').count(), 0, 'the refusal replaces the hint');
		await shot(page, 'fu-04-refused');
		await dlg.locator('button', { hasText: '取消' }).click();
		await dlg.waitFor({ state: 'hidden' });
		assert.equal((await api('GET', `/api/followups/${visit.id}`)).call_at, visit.call_at, 'the call time did not move');
	});

	it('an empty record cannot close the visit; a complete one does', async () => {
		await page.click('[data-test=rec-close]');
		await page.locator('[data-test=rec-outcome] .el-form-item__error').waitFor();
		assert.match(await page.locator('[data-test=rec-outcome] .el-form-item__error').innerText(), /请选择回访结果/);
		assert.match(await page.locator('[data-test=rec-next_step] .el-form-item__error').innerText(), /请填写下一步/);
		await page.click('[data-test=rec-outcome] .el-radio-button:has-text("满意")');
		assert.match(await page.locator('[data-test=branch-satisfied]').getAttribute('class'), /\bon\b/);
		await page.fill('[data-test=rec-evaluation] textarea', '维修及时，师傅态度很好');
		// a filled field loses its message (after the error's leave transition)
		await page.locator('[data-test=rec-evaluation] .el-form-item__error').waitFor({ state: 'detached', timeout: 3000 });
		await page.fill('[data-test=rec-suggestions] textarea', '希望上门前再电话确认一次');
		await page.fill('[data-test=rec-next_step] textarea', '下月保养时再回访');
		await shot(page, 'fu-05-record');
		await page.click('[data-test=rec-close]');
		await page.locator('[data-test=visit-state]', { hasText: '已完成' }).waitFor();
		assert.match(await page.locator('[data-test=rec-view-outcome]').innerText(), /满意/);
		const v = await api('GET', `/api/followups/${visit.id}`);
		assert.equal(v.state, 'done');
		assert.equal(v.outcome, 'satisfied');
		assert.equal(v.next_step, '下月保养时再回访');
		await shot(page, 'fu-06-closed');
		// …and it is listed under 已完成, the latest first.
		await page.goto('/followups?tab=done&kind=manual');
		const first = page.locator('[data-test=fu-table] .el-table__row').first();
		await first.waitFor();
		assert.match(await first.innerText(), new RegExp(`${TITLE}[\\s\\S]*满意`));
	});

	it('the commitment is due on the commitments page and is recorded as kept', async () => {
		await page.click('[data-test=nav-commitments]');
		await page.waitForURL(/\/commitments/);
		const row = page.locator('[data-test=cm-table] .el-table__row', { hasText: PROMISE });
		await row.waitFor();
		assert.match(await row.innerText(), new RegExp(NAME));
		await shot(page, 'fu-07-commitments');
		await row.locator('[data-test=cm-kept]').click();
		const dlg = page.locator('[data-test=outcome-dialog]');
		await dlg.waitFor();
		await dlg.locator('[data-test=outcome-note] textarea').fill('已上门更换');
		await dlg.locator('[data-test=outcome-submit]').click();
		await row.waitFor({ state: 'detached' });
		await page.click('[data-test=cm-tab-kept]');
		const kept = page.locator('[data-test=cm-table] .el-table__row', { hasText: PROMISE });
		await kept.waitFor();
		assert.match(await kept.innerText(), /已上门更换/);
		assert.notEqual(await page.locator('[data-test=cm-rate]').innerText(), '—');
		assert.equal((await api('GET', `/api/commitments/${commitment.id}`)).state, 'kept');
		await shot(page, 'fu-08-kept');
	});

	it('the customer’s card shows the last visit and no open commitment', async () => {
		await page.goto(`/customers/${customer.id}`);
		const card = page.locator('[data-test=section-followups]');
		await card.locator('[data-test=card-last-visit] a').waitFor();
		const last = await card.locator('[data-test=card-last-visit]').innerText();
		assert.match(last, new RegExp(TITLE));
		assert.match(last, /满意/);
		assert.match(await card.innerText(), /未兑现的承诺：0 项/);
		await card.scrollIntoViewIfNeeded();
		await shot(page, 'fu-09-customer');
	});

	it('the supervisor sees the agent’s closed visit and kept commitment in the team’s lists', async () => {
		const ctx = await newContext(browser);
		const sup = await ctx.newPage();
		const supProblems = watchPage(sup);
		await login(sup, 'zhuguan');
		await sup.goto(`/followups?tab=done&scope=team&agent=${visit.assignee_id}`);
		const row = sup.locator('[data-test=fu-table] .el-table__row', { hasText: TITLE });
		await row.waitFor();
		// The agent's name appears once the user directory has loaded (it may come after the rows).
		await sup.locator('[data-test=fu-table] .el-table__row', { hasText: TITLE }).filter({ hasText: '李晓雯' }).waitFor();
		await shot(sup, 'fu-10-team-done');
		await sup.goto(`/commitments?tab=kept&scope=team&agent=${commitment.made_by}`);
		await sup.locator('[data-test=cm-table] .el-table__row', { hasText: PROMISE }).waitFor();
		await sup.locator('[data-test=cm-per]', { hasText: '李晓雯' }).waitFor();
		await shot(sup, 'fu-11-team-commitments');
		await ctx.close();
		assert.deepEqual([...problems, ...supProblems], []);
	});
});
