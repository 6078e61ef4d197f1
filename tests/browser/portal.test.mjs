// portal.test.mjs - the customer portal on a phone: a customer submits a complaint without an
// account, tracks it by number and phone (the public events only: an internal note never
// shows), staff take it through the loop to closed (accepted, judged not justified with a
// tactful explanation), the survey job sends a link, the customer
// answers it on the phone with a low score, staff see a follow-up opened for it, and the link
// used again is refused with a clear page.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, newContext, rand, shot, watchPage } from './lib.mjs';

const ADMIN_PASSWORD = process.env.KEFU_ADMIN_PASSWORD;
const TAG = rand(5);
const PHONE = `135${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
const SECRET_NOTE = `内部备注不可外泄${TAG}`;
let browser;
let page;
const problems = [];
let admin;
let caseNumber;
let caseId;
let surveyUrl;

async function apiLogin(username, password) {
	const r = await fetch(`${BASE}/api/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username, password }) });
	assert.equal(r.status, 200);
	const cookie = r.headers.getSetCookie().find((c) => c.startsWith('kefu_session=')).split(';')[0];
	return { cookie, csrf: (await r.json()).csrf_token };
}
async function call(method, path, body) {
	const r = await fetch(`${BASE}${path}`, {
		method,
		headers: { Cookie: admin.cookie, 'X-CSRF-Token': admin.csrf, 'Content-Type': 'application/json' },
		body: body ? JSON.stringify(body) : undefined,
	});
	const j = await r.json().catch(() => null);
	assert.ok(r.ok, `${method} ${path}: ${r.status} ${JSON.stringify(j)}`);
	return j;
}

before(async () => {
	browser = await launch();
	// A phone: narrow, touch, Chinese.
	const ctx = await newContext(browser, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
	page = await ctx.newPage();
	problems.push(...watchPage(page));
	admin = await apiLogin('admin', ADMIN_PASSWORD);
});
after(async () => {
	await browser?.close();
	if (problems.length) console.log(problems.join('\n'));
});

describe('a customer on the portal, on a phone', () => {
	it('submits a complaint without an account and gets a case number', async () => {
		await page.goto('/portal');
		await page.click('[data-test=portal-type] .el-radio-button:has-text("投诉")');
		await page.fill('[data-test=portal-phone]', PHONE);
		await page.fill('[data-test=portal-name]', '门户测试客户');
		await page.fill('[data-test=portal-subject]', `门户投诉${TAG}`);
		await page.fill('[data-test=portal-description]', '延保服务的价格比宣传的高，希望给个说法');
		await page.click('[data-test=portal-submit]');
		const done = page.locator('[data-test=portal-submitted]');
		await done.waitFor();
		caseNumber = (await done.innerText()).match(/C\d{6}-\d{4}/)?.[0];
		assert.ok(caseNumber, `a case number in "${await done.innerText()}"`);
		await shot(page, 'portal-01-submitted');
		const found = await call('GET', `/api/cases?view=all&q=${encodeURIComponent(caseNumber)}&limit=5`);
		caseId = (found.items.find((c) => c.number === caseNumber) || {}).id;
		assert.ok(caseId, 'staff find the case');
	});

	it('tracks it by number and phone: public replies show, internal notes never', async () => {
		await call('POST', `/api/cases/${caseId}/events`, { kind: 'note', body: SECRET_NOTE });
		await call('POST', `/api/cases/${caseId}/events`, { kind: 'reply', body: `延保价格已发送到您的手机${TAG}` });
		await page.goto(`/portal/track?number=${caseNumber}&phone=${PHONE}`);
		const result = page.locator('[data-test=track-result]');
		await result.waitFor();
		await page.waitForSelector(`text=延保价格已发送到您的手机${TAG}`);
		const html = await page.content();
		assert.ok(!html.includes(SECRET_NOTE), 'the internal note is not on the page');
		await shot(page, 'portal-02-track');
		// The wrong phone finds nothing.
		await page.goto(`/portal/track?number=${caseNumber}&phone=13900000000`);
		await page.waitForSelector('.el-form-item__error');
	});

	it('answers the survey sent after the case closed, with a low score that opens a follow-up', async () => {
		const found = await call('GET', `/api/cases/${caseId}`);
		assert.equal(found.type, 'complaint');
		await call('POST', `/api/cases/${caseId}/transitions`, { action: 'accept' });
		await call('POST', `/api/cases/${caseId}/transitions`, { action: 'judge_unjustified', explanation: '已核对宣传页与价目表一致，向客户说明了延保价格的构成', demand_reasonable: true });
		assert.equal((await call('GET', `/api/cases/${caseId}`)).state, 'closed');
		await call('POST', '/api/jobs/run', {});
		const inv = await call('GET', `/api/survey-invitations?case_id=${caseId}`);
		surveyUrl = inv.items[0]?.url;
		assert.ok(surveyUrl, `an invitation for the case: ${JSON.stringify(inv.items[0])}`);
		await page.goto(surveyUrl);
		await page.click('[data-test=q-csat-1]');
		await page.click('[data-test=q-nps-3]');
		await page.fill('[data-test=q-comment-text]', '等了太久');
		await shot(page, 'portal-03-survey');
		await page.click('[data-test=survey-submit]');
		await page.waitForSelector('[data-test=survey-thanks]');
		const resp = await call('GET', `/api/survey-responses?low=1&limit=50`);
		const mine = resp.items.find((x) => x.case_id === caseId || x.invitation_id === inv.items[0].id);
		assert.ok(mine, 'the low score is listed');
		const fu = await call('GET', `/api/followups?case_id=${caseId}`);
		assert.ok(fu.items.some((f) => f.kind === 'low_score' && f.case_id === caseId), 'a follow-up was opened for the low score');
	});

	it('refuses the link a second time with a clear page', async () => {
		await page.goto(surveyUrl);
		const refused = page.locator('[data-test=survey-refused]');
		await refused.waitFor();
		assert.match(await refused.innerText(), /已|used|提交/);
		await page.goto(`${surveyUrl.slice(0, -3)}xyz`);
		await page.waitForSelector('[data-test=survey-refused]');
		await shot(page, 'portal-04-refused');
	});
});
