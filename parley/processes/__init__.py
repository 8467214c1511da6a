"""The process record: processes, rounds, sessions, venues, actors, people, delegations, roles,
letters, issues, positions, outcomes, endorsements and the sources every fact cites."""
