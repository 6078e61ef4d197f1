// privacy.test.mjs - personal data on the customer page (PIPL): an agent who does not own a
// customer sees the number masked and shows it in full after giving a reason (kept in the
// history); a supervisor downloads everything held about the customer; an admin erases the
// person after confirming, and the page shows the erased file.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { BASE, launch, login, newContext, rand, shot, watchPage } from './lib.mjs';

const ADMIN_PASSWORD = process.env.KEFU_ADMIN_PASSWORD;
const NAME = `隐私浏览器客户${rand(4)}`;
const DIGITS = `166${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
let browser;
let customerId;
const problems = [];

async function apiLogin(username, password) {
	const r = await fetch(`${BASE}/api/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username, password }) });
	assert.equal(r.status, 200);
	const cookie = r.headers.getSetCookie().find((c) => c.startsWith('kefu_session=')).split(';')[0];
	return { cookie, csrf: (await r.json()).csrf_token };
}
async function call(s, method, path, body) {
	const r = await fetch(`${BASE}${path}`, {
		method,
		headers: { Cookie: s.cookie, 'X-CSRF-Token': s.csrf, 'Content-Type': 'application/json' },
		body: body ? JSON.stringify(body) : undefined,
	});
	const j = await r.json().catch(() => null);
	assert.ok(r.ok, `${method} ${path}: ${r.status} ${JSON.stringify(j)}`);
	return j;
}

before(async () => {
	browser = await launch();
	const admin = await apiLogin('admin', ADMIN_PASSWORD);
	const users = (await call(admin, 'GET', '/api/users')).items;
	const agent01 = users.find((u) => u.username === 'agent01');
	const c = await call(admin, 'POST', '/api/customers', { name: NAME, phone: DIGITS, email: 'pb@example.com', owner_id: agent01.id });
	customerId = c.id;
});
after(async () => {
	await browser?.close();
	if (problems.length) console.log(problems.join('\n'));
});

async function signedIn(user, password) {
	const ctx = await newContext(browser, { acceptDownloads: true });
	const p = await ctx.newPage();
	problems.push(...watchPage(p));
	await login(p, user, password);
	return p;
}

describe('personal data on the customer page', () => {
	it('an agent who does not own the customer reveals the number with a reason, on the record', async () => {
		const p = await signedIn('agent02');
		await p.goto(`/customers/${customerId}`);
		await p.waitForSelector('[data-test=view-phone] [data-test=phone-masked]');
		await p.click('[data-test=reveal-phone]');
		await p.fill('.el-message-box input', '客户来电核实身份');
		await p.click('.el-message-box .el-button--primary');
		await p.waitForFunction((d) => document.querySelector('[data-test=view-phone]')?.textContent.replace(/\D/g, '').includes(d), DIGITS);
		await p.waitForSelector('[data-test=section-audit] :text("查看完整号码")');
		await shot(p, 'privacy-reveal');
	});

	it('a supervisor downloads everything held about the customer', async () => {
		const p = await signedIn('zhuguan');
		await p.goto(`/customers/${customerId}`);
		await p.click('[data-test=privacy-menu] button');
		const [dl] = await Promise.all([p.waitForEvent('download'), p.click('[data-test=privacy-export]')]);
		const doc = JSON.parse(readFileSync(await dl.path(), 'utf8'));
		assert.equal(doc.customer.name, NAME);
		assert.equal(doc.customer.phone, `+86${DIGITS}`);
		assert.ok(Array.isArray(doc.history) && doc.history.length >= 1);
		// Supervisors cannot erase.
		await p.click('[data-test=privacy-menu] button');
		assert.equal(await p.locator('[data-test=privacy-erase]:visible').count(), 0);
	});

	it('an admin erases the person after confirming, with a reason', async () => {
		const p = await signedIn('admin', ADMIN_PASSWORD);
		await p.goto(`/customers/${customerId}`);
		await p.click('[data-test=privacy-menu] button');
		await p.click('[data-test=privacy-erase]');
		await p.waitForSelector('[data-test=erase-dialog]');
		assert.ok(await p.locator('[data-test=erase-go]').isDisabled(), 'nothing happens before the reason and the confirmation');
		await p.fill('[data-test=erase-reason] textarea', '客户书面申请删除个人信息');
		await p.click('[data-test=erase-sure]');
		await shot(p, 'privacy-erase-dialog');
		await p.click('[data-test=erase-go]');
		await p.waitForSelector('[data-test=customer-name]:has-text("已删除客户")');
		assert.equal((await p.locator('[data-test=view-email]').innerText()).trim(), '—');
		await p.waitForSelector('[data-test=section-audit] :text("删除个人信息")');
		const page = await p.content();
		assert.ok(!page.includes(NAME) && !page.includes(DIGITS), 'nothing of the person on the page');
		await shot(p, 'privacy-erased');
	});
});
