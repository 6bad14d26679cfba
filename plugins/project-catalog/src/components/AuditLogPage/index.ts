export { AuditLogPage, AuditLogContent } from './AuditLogPage';
