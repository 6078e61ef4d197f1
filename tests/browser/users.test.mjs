// users.test.mjs - 设置 · 用户 for admins: create an account (a weak password refused under
// the field first), the new agent signs in, the admin disables the account and the agent's
// open session ends at its next request.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { launch, login, newContext, rand, shot, watchPage } from './lib.mjs';

const ADMIN_PASSWORD = process.env.KEFU_ADMIN_PASSWORD;
const USERNAME = `agent_${rand(6)}`;
const PASSWORD = `Kf-${rand(8)}-9x`;
let browser;
const problems = [];

before(async () => {
	browser = await launch();
});
after(async () => {
	await browser?.close();
	if (problems.length) console.log(problems.join('\n'));
});

async function signedIn(user, password) {
	const ctx = await newContext(browser);
	const p = await ctx.newPage();
	problems.push(...watchPage(p));
	await login(p, user, password);
	return p;
}

describe('an admin keeps the accounts', () => {
	let admin;
	let agent;
	it('creates an agent, after the password policy refused a weak password', async () => {
		admin = await signedIn('admin', ADMIN_PASSWORD);
		await admin.goto('/settings/users');
		await admin.click('[data-test=user-add]');
		await admin.fill('[data-test=user-username] input', USERNAME);
		await admin.fill('[data-test=user-display_name] input', '测试专员');
		await admin.fill('[data-test=user-password] input', 'short1');
		await admin.click('[data-test=user-save]');
		const err = admin.locator('[data-test=user-password] .el-form-item__error');
		await err.waitFor();
		assert.match(await err.innerText(), /密码/);
		await admin.fill('[data-test=user-password] input', PASSWORD);
		await admin.click('[data-test=user-save]');
		await admin.waitForSelector(`[data-test=users-table] .el-table__row:has-text("${USERNAME}")`);
		await shot(admin, 'users-admin');
	});

	it('the new agent signs in; disabled, the open session ends', async () => {
		agent = await signedIn(USERNAME, PASSWORD);
		await agent.goto('/customers');
		await agent.waitForSelector('[data-test=current-user]:has-text("测试专员")');
		await admin.click(`[data-test=user-disable-${USERNAME}]`);
		await admin.click('.el-message-box .el-button--primary');
		await admin.waitForSelector(`[data-test=users-table] .el-table__row:has-text("${USERNAME}") .el-tag:has-text("已停用")`);
		// The agent's next request is refused: back to the login page.
		await agent.reload();
		await agent.waitForURL(/\/login/);
		await agent.fill('#kf-user', USERNAME);
		await agent.fill('#kf-pass', PASSWORD);
		await agent.click('[data-test=login-submit]');
		await agent.waitForSelector('.el-alert--error, .el-form-item__error, .el-message--error');
		assert.match(agent.url(), /\/login/);
	});
});
