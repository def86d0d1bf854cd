"""User accounts: sign-in, sessions and passwords; HR administration of accounts, roles and the audit log."""
