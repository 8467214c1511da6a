"""The append-only audit log: one AuditEvent per action, written in the action's transaction."""
