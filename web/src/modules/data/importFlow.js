// The import wizard's logic, apart from the screens: which step a job is at, what it may do
// next, and whether a column mapping can be checked.

/** Steps of the wizard: 1 upload, 2 mapping, 3 dry run, 4 write. */
export const STEPS = ['upload', 'mapping', 'check', 'commit'];

const STEP_OF = {
	parsing: 'upload',
	uploaded: 'mapping',
	checking: 'check',
	checked: 'check',
	importing: 'commit',
	done: 'commit',
	failed: null, // stays where it failed (see failedStep)
	cancelled: null,
};

/** The wizard step (index into STEPS) of a job. A failed or cancelled job shows the step it
 * reached: a job with a result got to the write, one with a summary to the dry run. */
export function stepOf(job) {
	const s = STEP_OF[job?.status];
	if (s) return STEPS.indexOf(s);
	if (!job) return 0;
	const r = job.result || {};
	if (r.inserted || r.merged || r.skipped || job.progress?.phase === 'commit') return 3;
	const sm = job.summary || {};
	if (sm.ok || sm.bad) return 2;
	return job.headers?.length ? 1 : 0;
}

/** Still working in the background: the page polls. */
export const isRunning = (job) => job?.status === 'parsing' || job?.status === 'checking' || job?.status === 'importing';
/** Finished one way or another: nothing more can be done with it. */
export const isFinal = (job) => job?.status === 'done' || job?.status === 'failed' || job?.status === 'cancelled';

/** What the user may do now. */
export function actions(job) {
	const s = job?.status;
	return {
		check: s === 'uploaded' || s === 'checked',
		commit: s === 'checked' && (job.summary?.ok || 0) > 0,
		cancel: s === 'uploaded' || s === 'checked' || s === 'checking' || s === 'importing',
		remap: s === 'checked',
	};
}

/** 0..100 for a progress bar, or null when there is nothing to count. */
export function percent(job) {
	const p = job?.progress;
	if (!p || !p.total) return null;
	return Math.max(0, Math.min(100, Math.floor((p.done * 100) / p.total)));
}

/**
 * Problems of a mapping before it is sent: mapping[i] is the target field of column i ('' or
 * null: not imported). Returns [{ kind: 'missing', field } | { kind: 'twice', field, columns }].
 */
export function mappingProblems(mapping, fields) {
	const out = [];
	const cols = new Map();
	(mapping || []).forEach((f, i) => {
		if (!f) return;
		if (!cols.has(f)) cols.set(f, []);
		cols.get(f).push(i);
	});
	for (const f of fields || []) if (f.required && !cols.has(f.name)) out.push({ kind: 'missing', field: f.name });
	for (const [f, c] of cols) if (c.length > 1) out.push({ kind: 'twice', field: f, columns: c });
	return out;
}

/** The mapping as the API takes it: one entry per column, null for "not imported". */
export const apiMapping = (mapping, ncols) => Array.from({ length: ncols }, (_, i) => mapping?.[i] || null);

/** The sample values of column i, non-empty, at most n, for the mapping table. */
export function sampleOf(job, i, n = 3) {
	const out = [];
	for (const row of job?.sample || []) {
		const v = row?.[i];
		if (v !== undefined && v !== null && String(v).trim() !== '') out.push(String(v));
		if (out.length >= n) break;
	}
	return out;
}
