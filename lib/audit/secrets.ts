/** Parameter keys whose values never enter the audit log (matched case-insensitively, at any depth). */
export const AUDIT_SECRET_KEY_RE = /password|secret|token|key/i;
