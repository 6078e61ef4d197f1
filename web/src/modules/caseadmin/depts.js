// Departments with their people (pure): members, supervisors and the agents' capability
// levels (1–5) that automatic assignment matches against a case's required capability.

/** [{id, name, members, supervisors, agents, capability: [n of level 1 … 5], maxCapability}], plus one row (id null) for users without a department when there are any. */
export function departmentRows(departments, users) {
	const rows = (departments || []).map((d) => ({ id: d.id, name: d.name }));
	const none = { id: null, name: '' };
	const all = [...rows, none];
	for (const r of all) Object.assign(r, { members: [], supervisors: 0, agents: 0, capability: [0, 0, 0, 0, 0], maxCapability: 0 });
	const byId = new Map(rows.map((r) => [r.id, r]));
	for (const u of users || []) {
		const r = byId.get(u.department_id) || none;
		r.members.push(u);
		if (u.disabled) continue;
		if (u.role === 'supervisor') r.supervisors++;
		if (u.role === 'agent') {
			r.agents++;
			const c = Math.min(5, Math.max(1, u.capability || 1));
			r.capability[c - 1]++;
			r.maxCapability = Math.max(r.maxCapability, c);
		}
	}
	return none.members.length ? all : rows;
}

/** Active agents able to take a case needing capability `need`. */
export const capableAgents = (row, need) => row.capability.slice(need - 1).reduce((a, b) => a + b, 0);
