"""Users and sign-in. What a user may do in a process comes from processes.roles, not from here."""
