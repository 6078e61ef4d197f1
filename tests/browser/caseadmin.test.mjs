// caseadmin.test.mjs - an admin keeps the case settings in Debian's Chromium: marks a Monday
// of 2031 as a public holiday and a Saturday as a make-up workday (调休) in the business
// calendar and sees the due-time calculator move with each change (the dates are restored
// afterwards); creates an SLA policy (through a validation error) and finds it in the
// matrix and the list, then deactivates it; and a real SLA breach (a case received 30 days
// ago, escalated by POST /api/jobs/run) appears in the header's bell and opens its case.
// Needs KEFU_ADMIN_PASSWORD (run.sh sets it). Screenshots go to out/caseadmin-*.png.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, login, newContext, rand, shot, watchPage } from './lib.mjs';

const ADMIN_PASSWORD = process.env.KEFU_ADMIN_PASSWORD;
const HOLIDAY = '2031-03-10'; // a Monday
const MAKEUP = '2031-03-08'; // a Saturday
const START = '2031-03-07 17:00'; // the Friday before, one working hour before closing

let browser;
let page;
let problems;
let session; // {cookie, csrf} of the admin, for the API calls that set the scene
let savedDays = null;
const POLICY = `浏览器测试时限${rand(4)}`;

async function call(method, path, body) {
	const headers = { Accept: 'application/json', Cookie: session.cookie };
	if (method !== 'GET') headers['X-CSRF-Token'] = session.csrf;
	if (body !== undefined) headers['Content-Type'] = 'application/json';
	const r = await fetch(BASE + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
	const data = r.status === 204 ? null : await r.json();
	if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(data)}`);
	return data;
}

before(async () => {
	assert.ok(ADMIN_PASSWORD, 'KEFU_ADMIN_PASSWORD is not set');
	const r = await fetch(`${BASE}/api/session`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
	});
	assert.equal(r.status, 200, 'admin login');
	session = { cookie: r.headers.get('set-cookie').split(';')[0], csrf: (await r.json()).csrf_token };
	// The dated days as they are, to put back whatever the test changes.
	savedDays = (await call('GET', '/api/calendar')).days;
	assert.ok(!savedDays.some((d) => d.date === HOLIDAY || d.date === MAKEUP), 'the test dates are free');
	browser = await launch();
	const ctx = await newContext(browser);
	page = await ctx.newPage();
	problems = watchPage(page);
});

after(async () => {
	if (savedDays && session) await call('PUT', '/api/calendar', { days: savedDays }).catch((e) => console.log(`restore failed: ${e.message}`));
	await browser?.close();
	if (problems?.length) console.log(problems.join('\n'));
});

async function dueFor(start, hours) {
	const input = page.locator('[data-test=due-start] input');
	await input.click();
	await input.fill(start);
	await input.press('Enter');
	await page.keyboard.press('Escape');
	await page.fill('[data-test=due-hours] input', String(hours));
	await page.click('[data-test=due-run]');
	await page.waitForSelector('[data-test=due-result]');
	return (await page.locator('[data-test=due-at]').innerText()).trim();
}

async function setDay(date, kindTest, name) {
	await page.click(`[data-test="day-${date}"]`);
	const dlg = page.locator('[data-test=day-dialog]');
	await dlg.waitFor();
	await dlg.locator(`[data-test=${kindTest}]`).click();
	if (name) await dlg.locator('[data-test=day-name] input').fill(name);
	await dlg.locator('[data-test=day-save]').click();
	await dlg.waitFor({ state: 'hidden' });
}

describe('case settings and the bell', () => {
	it('an admin marks a holiday and a make-up workday, and the due-time calculator follows', async () => {
		await page.goto('/settings/calendar');
		await page.waitForURL(/\/login/);
		await login(page, 'admin', ADMIN_PASSWORD);
		await page.waitForSelector('[data-test=calendar-page] [data-test=month-12]');
		assert.ok(await page.locator('[data-test=nav-calendar]').isVisible(), 'the menu has 设置 · 工作日历');
		// Friday 17:00 + 8 business hours: 1 h on Friday, 7 h on Monday → Monday 17:00.
		assert.equal(await dueFor(START, 8), '2031-03-10 17:00');
		// To 2031 with the year buttons.
		const y = Number(await page.locator('[data-test=year-select] .el-select__selected-item:not(.is-hidden)').first().innerText());
		for (let i = y; i < 2031; i++) await page.click('[data-test=year-next]');
		await page.waitForSelector(`[data-test="day-${HOLIDAY}"]`);
		assert.equal(await page.locator(`[data-test="day-${HOLIDAY}"]`).getAttribute('data-kind'), 'work');

		await setDay(HOLIDAY, 'kind-holiday', '测试假日');
		assert.equal(await page.locator(`[data-test="day-${HOLIDAY}"]`).getAttribute('data-kind'), 'holiday');
		assert.match(await page.locator(`[data-test="dated-${HOLIDAY}"]`).innerText(), /测试假日/);
		// Monday is off now: 1 h on Friday, 7 h on Tuesday.
		assert.equal(await dueFor(START, 8), '2031-03-11 17:00');

		await setDay(MAKEUP, 'kind-workday', '测试调休');
		assert.equal(await page.locator(`[data-test="day-${MAKEUP}"]`).getAttribute('data-kind'), 'makeup');
		// Saturday works with Monday's hours: 1 h on Friday, 7 h on Saturday.
		assert.equal(await dueFor(START, 8), '2031-03-08 17:00');
		await page.locator('[data-test=month-3]').scrollIntoViewIfNeeded();
		await shot(page, 'caseadmin-1-calendar');

		// Back to normal through the same dialog.
		await setDay(HOLIDAY, 'kind-normal');
		await setDay(MAKEUP, 'kind-normal');
		assert.equal(await page.locator(`[data-test="day-${HOLIDAY}"]`).getAttribute('data-kind'), 'work');
		assert.equal(await page.locator(`[data-test="day-${MAKEUP}"]`).getAttribute('data-kind'), 'rest');
		assert.equal(await dueFor(START, 8), '2031-03-10 17:00');
		const days = (await call('GET', '/api/calendar')).days;
		assert.deepEqual(days, savedDays, 'the calendar is as it was');
	});

	it('an admin creates an SLA policy, sees it in the matrix and the list, and deactivates it', async () => {
		await page.click('[data-test=nav-sla]');
		await page.waitForSelector('[data-test=sla-table] .el-table__row');
		await page.click('[data-test=sla-new]');
		const dlg = page.locator('[data-test=sla-dialog]');
		await dlg.waitFor();
		await dlg.locator('[data-test=field-name] input').fill('');
		await dlg.locator('[data-test=sla-save]').click();
		await dlg.locator('[data-test=field-name] .el-form-item__error').waitFor();
		assert.match(await dlg.locator('[data-test=field-name] .el-form-item__error').innerText(), /名称/);
		await dlg.locator('[data-test=field-name] input').fill(POLICY);
		for (const [field, label] of [
			['field-case_type', '建议'],
			['field-priority', '紧急'],
		]) {
			await dlg.locator(`[data-test=${field}] .el-select__wrapper`).click();
			await page.locator('.el-select-dropdown:visible .el-select-dropdown__item', { hasText: label }).first().click();
		}
		await dlg.locator('[data-test=field-first_response_min] input').fill('1.5');
		await dlg.locator('[data-test=field-resolution_min] input').fill('6');
		await dlg.locator('[data-test=field-resolution_min] input').press('Tab');
		await dlg.locator('[data-test=sla-save]').click();
		await dlg.waitFor({ state: 'hidden' });
		const row = page.locator('[data-test=sla-table] .el-table__row', { hasText: POLICY });
		await row.waitFor();
		assert.match(await row.innerText(), /建议[\s\S]*紧急[\s\S]*1 小时 30 分钟[\s\S]*6 小时/);
		const cell = page.locator('[data-test=cell-suggestion-urgent]');
		assert.match(await cell.innerText(), new RegExp(`${POLICY}`));
		assert.match(await cell.innerText(), /1 小时 30 分钟/);
		const saved = (await call('GET', '/api/sla-policies')).items.find((p) => p.name === POLICY);
		assert.deepEqual([saved.case_type, saved.priority, saved.first_response_min, saved.resolution_min, saved.active], ['suggestion', 'urgent', 90, 360, true]);
		await shot(page, 'caseadmin-2-sla');

		await page.click(`[data-test=sla-off-${saved.id}]`);
		await page.locator('.el-message-box .el-button--primary').click();
		await page.waitForFunction((name) => ![...document.querySelectorAll('[data-test=sla-table] .el-table__row')].some((r) => r.innerText.includes(name)), POLICY);
		assert.doesNotMatch(await page.locator('[data-test=cell-suggestion-urgent]').innerText(), new RegExp(POLICY));
		assert.equal((await call('GET', '/api/sla-policies')).items.find((p) => p.id === saved.id).active, false);
	});

	it('an admin is told of an SLA breach in the bell and opens the case from it', async () => {
		// Escalate what is already overdue and read it, so the bell starts empty.
		await call('POST', '/api/jobs/run');
		await call('POST', '/api/notifications/read-all');
		const received = Date.now() - 30 * 86400000;
		const phone = `199${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
		const c = await call('POST', '/api/cases', { type: 'inquiry', channel: 'phone', priority: 'normal', subject: `浏览器测试超时${rand(4)}`, customer: { phone }, received_at: received, auto_assign: false });
		const run = await call('POST', '/api/jobs/run');
		assert.match(run.jobs.sla_breach.result, /escalated [1-9]/);

		await page.reload();
		await page.waitForSelector('[data-test=bell-count]');
		assert.ok(Number(await page.locator('[data-test=bell-count]').innerText()) >= 1);
		await page.click('[data-test=bell]');
		await page.click('[data-test=bell-unread]');
		const item = page.locator('[data-test=bell-panel] .item', { hasText: c.number }).first();
		await item.waitFor();
		assert.match(await item.innerText(), /超时升级/);
		await shot(page, 'caseadmin-3-bell');
		const before = Number(await page.locator('[data-test=bell-count]').innerText());
		const noteId = Number((await item.getAttribute('data-test')).replace('note-', ''));
		await item.click();
		await page.waitForURL((u) => u.pathname === `/cases/${c.id}`);
		await page.waitForFunction((n) => {
			const el = document.querySelector('[data-test=bell-count]');
			return (el ? Number(el.innerText) : 0) === n;
		}, before - 1);
		const unread = (await call('GET', '/api/notifications?unread=1&limit=200')).items;
		assert.ok(!unread.some((n) => n.id === noteId), 'the notification opened is read');
		const after = (await page.locator('[data-test=bell-count]').count()) ? Number(await page.locator('[data-test=bell-count]').innerText()) : 0;
		assert.equal(after, before - 1);
	});

	it('a supervisor has the settings to read, not to change', async () => {
		await page.click('[data-test=logout]');
		await page.waitForURL(/\/login/);
		await login(page, 'zhuguan');
		await page.goto('/settings/sla');
		await page.waitForSelector('[data-test=sla-table] .el-table__row');
		assert.equal(await page.locator('[data-test=sla-new]').count(), 0);
		assert.match(await page.locator('[data-test=sla-page] .kf-page-head').innerText(), /只读/);
		await page.click('[data-test=nav-calendar]');
		await page.waitForSelector(`[data-test=calendar-page] [data-test=month-12]`);
		assert.equal(await page.locator('[data-test=cal-import]').count(), 0);
		assert.ok(await page.locator('[data-test=calendar-page] .day').first().isDisabled(), 'days are not editable');
		assert.equal(await page.locator('[data-test=hours-edit]').count(), 0);
	});
});
