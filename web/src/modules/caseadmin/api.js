// The API calls of the settings pages and the notification bell (one function per call).
import { api } from '../../api/http.js';

export const listPolicies = () => api('GET', '/api/sla-policies');
export const createPolicy = (body) => api('POST', '/api/sla-policies', { body });
export const patchPolicy = (id, body) => api('PATCH', `/api/sla-policies/${id}`, { body });
export const deactivatePolicy = (id) => api('DELETE', `/api/sla-policies/${id}`);
export const caseFlow = () => api('GET', '/api/case-flow');

export const getCalendar = () => api('GET', '/api/calendar');
export const putCalendar = (body) => api('PUT', '/api/calendar', { body });
export const importCalendar = (text, mode) => api('POST', '/api/calendar/import', { body: { text, mode } });
export const calendarDue = (start, minutes) => api('GET', '/api/calendar/due', { query: { start, minutes } });
/** The export is text/plain: a link downloads it (the session cookie goes along). */
export const CALENDAR_EXPORT_URL = '/api/calendar/export';

export const listRootCauses = () => api('GET', '/api/root-causes');
export const createRootCause = (body) => api('POST', '/api/root-causes', { body });
export const patchRootCause = (id, body) => api('PATCH', `/api/root-causes/${id}`, { body });

export const listDepartments = () => api('GET', '/api/departments');
export const createDepartment = (name) => api('POST', '/api/departments', { body: { name } });
export const listUsers = () => api('GET', '/api/users');
export const patchUser = (id, body) => api('PATCH', `/api/users/${id}`, { body });

export const listNotifications = (query, opts = {}) => api('GET', '/api/notifications', { query, ...opts });
export const readNotification = (id) => api('POST', `/api/notifications/${id}/read`);
export const readAllNotifications = () => api('POST', '/api/notifications/read-all');
