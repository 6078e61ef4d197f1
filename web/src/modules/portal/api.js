// The customer portal's calls (/api/portal/*: no login, no session read by the server).
import { api } from '../../api/http.js';

export const service = () => api('GET', '/api/portal/service');
export const submitInquiry = (body) => api('POST', '/api/portal/inquiries', { body });
export const track = (number, phone) => api('GET', '/api/portal/track', { query: { number, phone } });
export const getSurvey = (token) => api('GET', `/api/portal/surveys/${encodeURIComponent(token)}`);
export const answerSurvey = (token, answers) =>
	api('POST', `/api/portal/surveys/${encodeURIComponent(token)}`, { body: { answers } });
export const getCard = (slug) => api('GET', `/api/portal/cards/${encodeURIComponent(slug)}`);
export const answerCard = (slug, body) => api('POST', `/api/portal/cards/${encodeURIComponent(slug)}`, { body });
